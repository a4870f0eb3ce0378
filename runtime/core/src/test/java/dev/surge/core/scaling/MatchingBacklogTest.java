package dev.surge.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatchingBacklogTest {

    static Stream<Arguments> partitions() {
        String caughtUpNoMatches = new PartitionBacklog(50_000, 0, 0.0).encode();
        return Stream.of(
                Arguments.of("a flood no filter matches, all read", Map.of(0, caughtUpNoMatches, 1, caughtUpNoMatches),
                        Map.of(0, 50_000L, 1, 50_000L), 0L),
                Arguments.of("a flood no filter matches, not read yet", Map.of(0, caughtUpNoMatches),
                        Map.of(0, 900_000L), 0L),
                Arguments.of("matching events waiting in two partitions",
                        Map.of(0, new PartitionBacklog(100, 7, 1.0).encode(), 1, new PartitionBacklog(10, 3, 1.0).encode()),
                        Map.of(0, 100L, 1, 10L), 10L),
                Arguments.of("unread events estimated with the ratio",
                        Map.of(0, new PartitionBacklog(100, 5, 0.25).encode()), Map.of(0, 200L), 30L),
                Arguments.of("never committed: unknown counts 0", Map.of(), Map.of(0, 1_000L, 1, 2_000L), 0L),
                Arguments.of("another tool's metadata counts 0", Map.of(0, "checkpoint by kcat"), Map.of(0, 1_000L), 0L),
                Arguments.of("a partition without an end offset is not counted",
                        Map.of(0, new PartitionBacklog(0, 4, 1.0).encode(), 1, new PartitionBacklog(0, 9, 1.0).encode()),
                        Map.of(0, 0L), 4L),
                Arguments.of("one known, one unknown", Map.of(0, new PartitionBacklog(10, 2, 0.5).encode()),
                        Map.of(0, 14L, 1, 1_000_000L), 4L));
    }

    @ParameterizedTest(name = "{0} → {3}")
    @MethodSource("partitions")
    void sumsTheMatchingBacklogOfEveryPartition(String scenario, Map<Integer, String> metadata, Map<Integer, Long> end,
            long expected) {
        assertThat(MatchingBacklog.total(metadata, end)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aCommitWithoutMetadataCountsZero() {
        Map<Integer, String> metadata = new HashMap<>();
        metadata.put(0, null); // Admin reports an offset committed with no metadata as null or ""
        metadata.put(1, "");
        assertThat(MatchingBacklog.total(metadata, Map.of(0, 10L, 1, 10L))).isZero();
    }
}
