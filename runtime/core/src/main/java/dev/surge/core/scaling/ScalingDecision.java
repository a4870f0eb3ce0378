package dev.surge.core.scaling;

/**
 * How many replicas a function should run, and why, in words a user reads in a status or a log.
 *
 * @param replicas desired replicas
 * @param current  replicas before the decision
 * @param reason   e.g. {@code lag 600 / lagThreshold 50 → 12, capped at maxReplicas 3}
 */
public record ScalingDecision(int replicas, int current, String reason) {
    public boolean changes() {
        return replicas != current;
    }
}
