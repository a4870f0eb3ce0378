package dev.surge.operator.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.scaling.ScalingDecision;
import dev.surge.core.scaling.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the Function reconciler decides, and what, as a scenario on a stepped clock (no Kafka, no cluster). */
class ReplicaDecisionTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    /** The IT's policy: lagThreshold 100, maxReplicas 4, cooldown 2 s, polled every second, no stabilization. */
    static final ScalingPolicy POLICY = new ScalingPolicy(0, 4, 100, 0, Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ZERO);
    static final ScalingPolicy MIN_TWO = new ScalingPolicy(2, 5, 10, 0, Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    static final int UNLIMITED = Integer.MAX_VALUE;

    static ReplicaDecision.Outcome poll(ReplicaDecision.Memory m, ScalingPolicy p, int replicas, long backlog,
            Instant now) {
        return ReplicaDecision.decide(m, p, replicas, Optional.of(backlog), UNLIMITED, false, null, now);
    }

    @Test
    void aNewFunctionIsPolledBeforeItsDeploymentIsCreatedAndStartsAtMinReplicas() {
        var plan = ReplicaDecision.plan(ReplicaDecision.Memory.first(0, T0), POLICY, null, null, null, T0);
        assertThat(plan).isEqualTo(new ReplicaDecision.Plan(true, true, false));
        assertThat(poll(ReplicaDecision.Memory.first(0, T0), POLICY, 0, 0, T0).result().decision().replicas()).isZero();
        assertThat(poll(ReplicaDecision.Memory.first(0, T0), MIN_TWO, 0, 0, T0).result().decision().replicas())
                .isEqualTo(2);
    }

    @Test
    void aBacklogOf500ScalesToMaxReplicasThenBackToZeroAfterTheCooldown() {
        var m = poll(ReplicaDecision.Memory.first(0, T0), POLICY, 0, 0, T0).memory();

        var up = poll(m, POLICY, 0, 500, T0.plusSeconds(1));
        assertThat(up.result().decision()).isEqualTo(new ScalingDecision(4, 0,
                "activate: lag 500 / lagThreshold 100 → 5, capped at maxReplicas 4"));
        assertThat(up.memory().backlog()).isEqualTo(500);

        // consumed: idle from T0+2 s; the cooldown (2 s) counts from the last poll that saw work (T0+1 s)
        var idle = poll(up.memory(), POLICY, 4, 0, T0.plusSeconds(2));
        assertThat(idle.result().decision().replicas()).isEqualTo(1);
        assertThat(idle.result().decision().reason()).startsWith("cooling down");
        var zero = poll(idle.memory(), POLICY, 1, 0, T0.plusSeconds(3));
        assertThat(zero.result().decision().replicas()).isZero();
        assertThat(zero.result().decision().reason()).startsWith("scale to zero");
    }

    @Test
    void pollsAreDueEveryPollingInterval() {
        var m = poll(ReplicaDecision.Memory.first(0, T0), POLICY, 0, 0, T0).memory();
        assertThat(ReplicaDecision.plan(m, POLICY, 0, null, null, T0.plusMillis(400)).decide()).isFalse();
        assertThat(ReplicaDecision.untilNextPoll(m, POLICY, T0.plusMillis(400), Duration.ofMillis(50)))
                .isEqualTo(Duration.ofMillis(600));
        assertThat(ReplicaDecision.plan(m, POLICY, 0, null, null, T0.plusSeconds(1)))
                .isEqualTo(new ReplicaDecision.Plan(true, true, false));
        assertThat(ReplicaDecision.untilNextPoll(m, POLICY, T0.plusSeconds(5), Duration.ofMillis(50)))
                .isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void anActivationRequestAtZeroDecidesAtOnceOnTheLastBacklogWithoutPolling() {
        var m = poll(ReplicaDecision.Memory.first(0, T0), POLICY, 0, 0, T0).memory();
        Instant requested = T0.plusMillis(300);
        var plan = ReplicaDecision.plan(m, POLICY, 0, requested, null, T0.plusMillis(310));
        assertThat(plan).isEqualTo(new ReplicaDecision.Plan(false, true, true));

        var out = ReplicaDecision.decide(m, POLICY, 0, Optional.empty(), UNLIMITED, true, requested,
                T0.plusMillis(310));
        assertThat(out.result().decision().replicas()).isEqualTo(1);
        assertThat(out.result().decision().reason()).isEqualTo("activate: activation signal");
        assertThat(out.memory().polledAt()).as("not a poll").isEqualTo(T0);

        // counted once: the same request does not decide again
        assertThat(ReplicaDecision.plan(out.memory(), POLICY, 1, requested, null, T0.plusMillis(320)).signal())
                .isFalse();
    }

    @Test
    void aRequestOlderThanTheLastScaleWasAnsweredByIt() {
        var m = ReplicaDecision.Memory.first(0, T0);
        assertThat(ReplicaDecision.plan(m, POLICY, 0, T0.minusSeconds(10), T0.minusSeconds(5), T0).signal()).isFalse();
    }

    @Test
    void aRequestWhileAReplicaStartsCountsAsWorkAtTheNextPoll() {
        var started = poll(ReplicaDecision.Memory.first(1, T0), POLICY, 1, 0, T0).memory();
        Instant requested = T0.plusSeconds(2); // the dispatcher still finds no ready replica
        var plan = ReplicaDecision.plan(started, POLICY, 1, requested, T0, T0.plusMillis(2500));
        assertThat(plan).isEqualTo(new ReplicaDecision.Plan(true, true, true));
        var out = ReplicaDecision.decide(started, POLICY, 1, Optional.of(0L), UNLIMITED, true, requested,
                T0.plusMillis(2500));
        assertThat(out.result().decision().replicas()).as("not cooled down while an event waits").isEqualTo(1);
    }

    @Test
    void aUsersScaleIsTheCurrentValueAndTheScalerMovesItToWhatTheBacklogAsks() {
        var m = poll(ReplicaDecision.Memory.first(0, T0), POLICY, 0, 0, T0).memory();
        // `kubectl scale --replicas=3` with no backlog: cooled down like any replicas, then to zero
        var after = poll(m, POLICY, 3, 0, T0.plusSeconds(1));
        assertThat(after.result().decision().current()).isEqualTo(3);
        assertThat(after.result().decision().replicas()).isEqualTo(1);
        assertThat(poll(after.memory(), POLICY, 1, 0, T0.plusSeconds(3)).result().decision().replicas()).isZero();
        // `kubectl scale --replicas=1` under a backlog of 350: back up at once
        assertThat(poll(m, POLICY, 1, 350, T0.plusSeconds(1)).result().decision().replicas()).isEqualTo(4);
    }

    @Test
    void orderedTriggersBoundTheReplicasByTheirPartitions() {
        var out = ReplicaDecision.decide(ReplicaDecision.Memory.first(0, T0), POLICY, 0, Optional.of(500L), 2, false,
                null, T0);
        assertThat(out.result().decision().replicas()).isEqualTo(2);
        assertThat(out.result().decision().reason()).contains("capped at partitions 2");
    }
}
