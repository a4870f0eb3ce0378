package dev.surge.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.scaling.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When a new backlog goes into status.lag, as a table: the last write, the new read, and whether it is written. */
class StatusLagTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    /** lagThreshold 100, replicas 0..4, activationLagThreshold 5. */
    static final ScalingPolicy POLICY = new ScalingPolicy(0, 4, 100, 5, Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    static final ScalingPolicy MIN_ONE = new ScalingPolicy(1, 4, 100, 0, Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofSeconds(30));

    static Stream<Arguments> table() {
        Instant now = T0.plusSeconds(3); // 3 s after the last write
        return Stream.of(
                // policy, written, written at, read, now → written now, why
                Arguments.of(POLICY, null, null, 0L, now, true, "nothing written yet"),
                Arguments.of(POLICY, 120L, T0, 120L, T0.plusSeconds(60), false, "unchanged: never"),
                Arguments.of(POLICY, 120L, T0, 121L, now, false, "a few events more, same replicas: waits"),
                Arguments.of(POLICY, 120L, T0, 199L, now, false, "still 2 replicas: waits"),
                Arguments.of(POLICY, 120L, T0, 150L, T0.plusSeconds(10), true, "the last write is REFRESH old"),
                Arguments.of(POLICY, 120L, T0, 150L, T0.plusMillis(9999), false, "just under REFRESH"),
                Arguments.of(POLICY, 120L, null, 150L, now, true, "written by another leader, when unknown"),
                Arguments.of(POLICY, 120L, T0, 0L, now, true, "crosses zero: idle"),
                Arguments.of(POLICY, 0L, T0, 1L, now, true, "crosses zero: work"),
                Arguments.of(POLICY, 3L, T0, 6L, now, true, "crosses activationLagThreshold 5"),
                Arguments.of(POLICY, 120L, T0, 201L, now, true, "asks for 3 replicas instead of 2"),
                Arguments.of(POLICY, 120L, T0, 99L, now, true, "asks for 1 replica instead of 2"),
                Arguments.of(POLICY, 500L, T0, 5000L, now, false, "beyond maxReplicas 4 either way"),
                Arguments.of(MIN_ONE, 10L, T0, 90L, now, false, "1 replica either way"),
                Arguments.of(null, 120L, T0, 500L, now, false, "a Trigger: no thresholds of its own, waits"),
                Arguments.of(null, 120L, T0, 0L, now, true, "a Trigger crossing zero"),
                Arguments.of(null, 120L, T0, 500L, T0.plusSeconds(10), true, "a Trigger after REFRESH"));
    }

    @ParameterizedTest(name = "{1} → {3}: {6}")
    @MethodSource("table")
    void writes(ScalingPolicy policy, Long written, Instant writtenAt, long read, Instant now, boolean due,
            String why) {
        assertThat(StatusLag.due(written, writtenAt, read, now, policy)).as(why).isEqualTo(due);
    }

    @Test
    void aWaitingLagIsDueWhenTheLastWriteIsRefreshOld() {
        assertThat(StatusLag.untilDue(T0, T0.plusSeconds(3))).isEqualTo(Duration.ofSeconds(7));
        assertThat(StatusLag.untilDue(T0, T0.plusSeconds(12))).isZero();
        assertThat(StatusLag.untilDue(null, T0)).isZero();
    }
}
