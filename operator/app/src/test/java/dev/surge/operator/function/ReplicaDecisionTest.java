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

    @Test
    void aNewLeaderGoesOnWithTheCooldownFromTheStatusTheLastOneWrote() {
        // the last leader: 500 → 4 replicas at T0+1 s; drained at T0+2 s → cooling down to 1; it writes status.lag 0
        // and lastActiveTime (the last poll with work) with that decision, then stops
        var up = poll(poll(ReplicaDecision.Memory.first(0, T0), POLICY, 0, 0, T0).memory(), POLICY, 0, 500,
                T0.plusSeconds(1));
        var idle = poll(up.memory(), POLICY, 4, 0, T0.plusSeconds(2));
        Instant lastActiveTime = idle.memory().history().lastActive();
        assertThat(lastActiveTime).isEqualTo(T0.plusSeconds(1));

        // the new leader's first reconcile, at T0+3 s: the cooldown (2 s) since T0+1 s is over, as it would be for
        // the last leader; before, a new leader counted the Function active at T0+3 s and waited until T0+5 s
        var restored = ReplicaDecision.Memory.restore(1, 0L, lastActiveTime, T0.plusSeconds(2), T0.plusSeconds(3));
        var plan = ReplicaDecision.plan(restored, POLICY, 1, null, T0.plusSeconds(2), T0.plusSeconds(3));
        assertThat(plan.poll()).isTrue();
        var zero = poll(restored, POLICY, 1, 0, T0.plusSeconds(3));
        assertThat(zero.result().decision()).isEqualTo(new ScalingDecision(0, 1,
                "scale to zero: idle for 2000 ms ≥ cooldownPeriod PT2S"));
    }

    @Test
    void aNewLeaderCountsAFunctionWithWorkOrWithoutARecordAsActiveNow() {
        Instant now = T0.plusSeconds(60);
        // status.lag above 0: work was waiting when the last leader wrote; lastActiveTime is from an earlier idle time
        var busy = ReplicaDecision.Memory.restore(1, 20L, T0, T0, now);
        assertThat(busy.history().lastActive()).isEqualTo(now);
        assertThat(busy.backlog()).isEqualTo(20);
        assertThat(poll(busy, POLICY, 1, 0, now.plusSeconds(1)).result().decision().reason())
                .startsWith("cooling down");
        // no status yet, or one written before lastActiveTime existed: as a Function seen for the first time
        assertThat(ReplicaDecision.Memory.restore(1, null, null, null, now).history().lastActive()).isEqualTo(now);
        assertThat(ReplicaDecision.Memory.restore(1, 0L, null, T0, now).history().lastActive()).isEqualTo(now);
        // another clock's future is now
        assertThat(ReplicaDecision.Memory.restore(1, 0L, now.plusSeconds(5), null, now).history().lastActive())
                .isEqualTo(now);
    }

    @Test
    void aNewLeaderHoldsTheLastScaleForTheStabilizationWindow() {
        ScalingPolicy window30 = new ScalingPolicy(0, 5, 10, 0, Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(30));
        // the last leader scaled to 5 at T0 (lag 50); the new leader reads a lag of 10 at T0+10 s
        var restored = ReplicaDecision.Memory.restore(5, 50L, null, T0, T0.plusSeconds(10));
        assertThat(restored.history().lastScaled()).isEqualTo(T0);
        assertThat(poll(restored, window30, 5, 10, T0.plusSeconds(10)).result().decision().replicas()).isEqualTo(5);
        assertThat(poll(restored, window30, 5, 10, T0.plusSeconds(31)).result().decision().replicas()).isEqualTo(1);
    }
}
