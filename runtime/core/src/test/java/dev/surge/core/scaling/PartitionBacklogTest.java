package dev.surge.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionBacklogTest {

    @ParameterizedTest(name = "read {0}, waiting {1}, ratio {2}, end {3} → {4}")
    @CsvSource({
            // caught up: only what was read and matched counts, however large the partition
            "1000, 0, 0.0, 1000, 0",
            "1000, 7, 0.5, 1000, 7",
            // a flood the filter passes over: unread events count for nothing
            "1000, 0, 0.0, 500000, 0",
            // paused with unread events: estimated with the ratio, rounded up
            "100, 40, 0.5, 200, 90",
            "100, 0, 0.01, 101, 1",
            "100, 0, 1.0, 350, 250",
            // the end offset read before the commit landed: never negative
            "500, 3, 1.0, 400, 3"})
    void countsMatchingEventsOnly(long read, long waiting, double ratio, long end, long expected) {
        assertThat(new PartitionBacklog(read, waiting, ratio).matched(end)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0, 0.0", "12345678901, 5000, 0.3333", "7, 1, 1.0"})
    void survivesTheRoundTripThroughOffsetMetadata(long read, long waiting, double ratio) {
        PartitionBacklog b = new PartitionBacklog(read, waiting, ratio);
        assertThat(PartitionBacklog.decode(b.encode())).contains(b);
        assertThat(PartitionBacklog.decode(b.encode() + ";done=1+4,1+10"))
                .as("with the dispatcher's finished offsets after it").contains(b);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "someone else's metadata", "surge1:1:2", "surge1:a:b:c", "surge1:-1:0:0.5",
            "surge1:1:0:1.5", "surge1:1:0:NaN",
            ";done=1+4", "surge1:1:2;done=1+4"})
    void unknownMetadataIsUnknownBacklog(String metadata) {
        assertThat(PartitionBacklog.decode(metadata)).isEmpty();
    }
}
