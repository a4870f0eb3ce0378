package dev.surge.operator.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.scaling.ScalingDecision;
import dev.surge.core.scaling.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaDecisionTest {
    static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    static final ScalingPolicy TO_ZERO = ScalingPolicy.DEFAULT;
    static final ScalingPolicy MIN_TWO = new ScalingPolicy(2, 5, 10, 0, Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofSeconds(30));

    @Test
    void aNewDeploymentStartsAtMinReplicas() {
        assertThat(ReplicaDecision.decide(TO_ZERO, null, null, null, NOW)).map(ScalingDecision::replicas).contains(0);
        assertThat(ReplicaDecision.decide(MIN_TWO, null, null, null, NOW)).map(ScalingDecision::replicas).contains(2);
    }

    @Test
    void anActivationRequestStartsAFunctionAtZero() {
        Optional<ScalingDecision> d = ReplicaDecision.decide(TO_ZERO, 0, NOW.minusMillis(5), null, NOW);
        assertThat(d).map(ScalingDecision::replicas).contains(1);
        assertThat(d.orElseThrow().reason()).startsWith("activate");
    }

    @Test
    void anActivationAlreadyAnsweredByAScaleIsNotRepeated() {
        assertThat(ReplicaDecision.decide(TO_ZERO, 0, NOW.minusSeconds(10), NOW.minusSeconds(5), NOW)).isEmpty();
    }

    @Test
    void replicasAboveZeroAreTheScalersOrTheUsers() {
        assertThat(ReplicaDecision.decide(TO_ZERO, 3, NOW, null, NOW)).isEmpty();
        assertThat(ReplicaDecision.decide(TO_ZERO, 0, null, null, NOW)).isEmpty();
    }

    @Test
    void aRaisedMinReplicasRaisesTheReplicas() {
        assertThat(ReplicaDecision.decide(MIN_TWO, 1, null, null, NOW)).map(ScalingDecision::replicas).contains(2);
        assertThat(ReplicaDecision.decide(MIN_TWO, 2, null, null, NOW)).isEmpty();
    }
}
