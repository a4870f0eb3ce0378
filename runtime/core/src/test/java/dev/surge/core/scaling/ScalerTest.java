package dev.surge.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScalerTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    /** min 0, max 3, lagThreshold 50, activation 0, cooldown 10 s, polling 1 s, stabilization 5 s. */
    static final ScalingPolicy POLICY = new ScalingPolicy(0, 3, 50, 0, Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofSeconds(5));

    static Stream<Arguments> table() {
        ScalingPolicy min2 = new ScalingPolicy(2, 10, 100, 0, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ZERO);
        ScalingPolicy activation100 = new ScalingPolicy(0, 5, 10, 100, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ZERO);
        return Stream.of(
                // policy, current replicas, snapshot → replicas, reason starts with
                Arguments.of(POLICY, 0, LagSnapshot.of(0), 0, "stay at zero"),
                Arguments.of(POLICY, 0, LagSnapshot.of(1), 1, "activate: lag 1 / lagThreshold 50 → 1"),
                Arguments.of(POLICY, 0, LagSnapshot.of(120), 3, "activate: lag 120 / lagThreshold 50 → 3"),
                Arguments.of(POLICY, 0, LagSnapshot.of(600), 3, "activate: lag 600 / lagThreshold 50 → 12, capped at maxReplicas 3"),
                Arguments.of(POLICY, 0, new LagSnapshot(0, 0, Integer.MAX_VALUE, true), 1, "activate: activation signal"),
                Arguments.of(POLICY, 1, LagSnapshot.of(120), 3, "scale up: lag 120 / lagThreshold 50 → 3"),
                Arguments.of(POLICY, 2, LagSnapshot.of(100), 2, "steady: lag 100 / lagThreshold 50 → 2"),
                Arguments.of(POLICY, 1, new LagSnapshot(0, 4, Integer.MAX_VALUE, false), 1, "steady: 4 in flight"),
                Arguments.of(POLICY, 1, new LagSnapshot(600, 0, 2, false), 2, "scale up: lag 600 / lagThreshold 50 → 12, capped at partitions 2"),
                Arguments.of(activation100, 0, LagSnapshot.of(100), 0, "stay at zero: lag 100 ≤ activationLagThreshold 100"),
                Arguments.of(activation100, 0, LagSnapshot.of(101), 5, "activate: lag 101 / lagThreshold 10 → 11, capped at maxReplicas 5"),
                Arguments.of(min2, 0, LagSnapshot.of(0), 2, "activate: lag 0 / lagThreshold 100 → 0, raised to minReplicas 2"),
                Arguments.of(min2, 4, LagSnapshot.of(0), 2, "scale down: lag 0 / lagThreshold 100 → 0, raised to minReplicas 2"));
    }

    @ParameterizedTest(name = "{1} replicas, {2} → {3}")
    @MethodSource("table")
    void decidesFromLagAndPolicy(ScalingPolicy policy, int current, LagSnapshot lag, int replicas, String reason) {
        ScalingDecision d = Scaler.decide(lag, policy, ScalingHistory.start(current, T0), T0).decision();
        assertThat(d.replicas()).isEqualTo(replicas);
        assertThat(d.current()).isEqualTo(current);
        assertThat(d.reason()).startsWith(reason);
    }

    /** Steps a fixed clock through a scenario, one poll per second. */
    static final class Scenario {
        ScalingHistory history = ScalingHistory.start(0, T0);
        Instant now = T0;

        int poll(long lag) {
            return poll(LagSnapshot.of(lag));
        }

        int poll(LagSnapshot snapshot) {
            now = now.plusSeconds(1);
            Scaler.Result r = Scaler.decide(snapshot, POLICY, history, now);
            history = r.history();
            return r.decision().replicas();
        }
    }

    @Test
    void burstScalesUpAtOnceDrainsThenGoesToZeroAfterCooldown() {
        Scenario s = new Scenario();
        assertThat(s.poll(0)).isZero();
        assertThat(s.poll(600)).isEqualTo(3);        // burst: straight to max
        assertThat(s.poll(400)).isEqualTo(3);
        assertThat(s.poll(90)).isEqualTo(3);         // 2 recommended, 3 recommended within 5 s: hold
        assertThat(s.poll(20)).isEqualTo(3);
        assertThat(s.poll(0)).isEqualTo(3);          // t6, drained; cooling down, stabilised
        s.poll(0);
        s.poll(0);
        assertThat(s.poll(0)).isEqualTo(2);          // t9: the '3' of t3 left the 5 s window, the '2' of t4 not
        assertThat(s.poll(0)).isEqualTo(1);          // t10: one replica until the cooldown ends
        for (int i = 0; i < 4; i++) {
            assertThat(s.poll(0)).isEqualTo(1);      // t11..t14: last activity t5, less than 10 s ago
        }
        assertThat(s.poll(0)).isZero();              // t15: 10 s idle, to zero
        assertThat(s.poll(0)).isZero();
    }

    @Test
    void flappingLagDoesNotFlapReplicas() {
        Scenario s = new Scenario();
        s.poll(150);
        int changes = 0;
        int last = s.history.replicas();
        for (int i = 0; i < 20; i++) {
            int r = s.poll(i % 2 == 0 ? 30 : 150);   // lag jumps between 1 and 3 replicas' worth every second
            changes += r != last ? 1 : 0;
            last = r;
        }
        assertThat(changes).isZero();
        assertThat(last).isEqualTo(3);
    }

    @Test
    void workInFlightKeepsAReplicaPastTheCooldown() {
        Scenario s = new Scenario();
        s.poll(10);
        for (int i = 0; i < 30; i++) {
            assertThat(s.poll(new LagSnapshot(0, 1, Integer.MAX_VALUE, false))).isEqualTo(1);
        }
        for (int i = 0; i < 9; i++) {
            assertThat(s.poll(0)).isEqualTo(1);
        }
        assertThat(s.poll(0)).isZero();
    }

    @Test
    void newLagDuringCooldownRestartsIt() {
        Scenario s = new Scenario();
        s.poll(10);
        for (int i = 0; i < 8; i++) {
            s.poll(0);
        }
        assertThat(s.poll(5)).isEqualTo(1);
        for (int i = 0; i < 9; i++) {
            assertThat(s.poll(0)).as("second %d after the new event", i + 1).isEqualTo(1);
        }
        assertThat(s.poll(0)).isZero();
    }

    @Test
    void externalChangeOfReplicasIsTakenIntoAccount() {
        Scenario s = new Scenario();
        s.poll(150);
        s.history = s.history.withReplicas(1);       // two processes crashed
        assertThat(s.poll(150)).isEqualTo(3);
    }

    @Test
    void aRestoredHistoryCountsTheCooldownFromItsLastActivityAndHoldsItsLastScaleForTheWindow() {
        // what an earlier scaler recorded: 3 replicas since a scale at T0, last active at T0+1 s
        ScalingHistory restored = ScalingHistory.restore(3, T0.plusSeconds(1), T0);
        assertThat(restored.lastScaled()).isEqualTo(T0);

        var hold = Scaler.decide(LagSnapshot.of(50), POLICY, restored, T0.plusSeconds(4));
        assertThat(hold.decision().replicas()).as("within the stabilization window of the scale").isEqualTo(3);
        var down = Scaler.decide(LagSnapshot.of(50), POLICY, restored, T0.plusSeconds(6));
        assertThat(down.decision().replicas()).isEqualTo(1);

        var zero = Scaler.decide(LagSnapshot.of(0), POLICY, ScalingHistory.restore(1, T0.plusSeconds(1), T0),
                T0.plusSeconds(11));
        assertThat(zero.decision().replicas()).isZero();
        assertThat(zero.decision().reason()).isEqualTo("scale to zero: idle for 10000 ms ≥ cooldownPeriod PT10S");
    }
}
