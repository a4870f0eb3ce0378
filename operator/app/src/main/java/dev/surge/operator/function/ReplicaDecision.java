package dev.surge.operator.function;

import dev.surge.core.scaling.LagSnapshot;
import dev.surge.core.scaling.Scaler;
import dev.surge.core.scaling.ScalingDecision;
import dev.surge.core.scaling.ScalingHistory;
import dev.surge.core.scaling.ScalingPolicy;
import java.time.Instant;
import java.util.Optional;

/**
 * The replicas the Function reconciler sets, decided by the shared {@link Scaler#decide}. Pure.
 *
 * <p>The reconciler decides what is known without reading Kafka: the replicas a new Deployment starts with
 * ({@code minReplicas}, or one when an activation is pending), a start from zero when a dispatcher asked for one
 * (annotation {@value ActivationRequest#ANNOTATION}), and a raise to a higher {@code minReplicas}. Scaling on the
 * matching backlog (up, down, to zero after the cooldown) needs the lag, which the lag-driven scaler feeds into
 * the same {@code Scaler.decide}; until it runs, replicas above {@code minReplicas} are left as they are, whoever
 * set them.
 */
public final class ReplicaDecision {
    private ReplicaDecision() {
    }

    /**
     * @param current         the Deployment's replicas, or null when there is no Deployment yet
     * @param activation      the pending activation request, or null
     * @param lastScaleTime   when the operator last changed the replicas (the Function's status), or null
     * @return the decision to apply, or empty to leave the replicas alone
     */
    public static Optional<ScalingDecision> decide(ScalingPolicy policy, Integer current, Instant activation,
            Instant lastScaleTime, Instant now) {
        // An activation counts once: a request older than the last scale was already answered by it.
        boolean activate = activation != null && (lastScaleTime == null || activation.isAfter(lastScaleTime));
        int from = current == null ? 0 : current;
        boolean belowMin = from < policy.minReplicas();
        boolean startFromZero = from == 0 && activate;
        if (current != null && !belowMin && !startFromZero) {
            return Optional.empty();
        }
        LagSnapshot known = new LagSnapshot(0, 0, Integer.MAX_VALUE, activate);
        ScalingDecision decision = Scaler.decide(known, policy, ScalingHistory.start(from, now), now).decision();
        if (current == null || decision.replicas() > from) {
            return Optional.of(decision);
        }
        return Optional.empty();
    }
}
