package dev.surge.core.scaling;

import java.time.Duration;

/**
 * A Function's {@code spec.scaling}, with KEDA's Kafka scaler's names and meaning.
 *
 * @param minReplicas            replicas when idle (default 0: scale to zero)
 * @param maxReplicas            upper bound (default 5)
 * @param lagThreshold           target lag per replica: {@code desired = ceil(lag / lagThreshold)} (default 10)
 * @param activationLagThreshold lag above which a function at zero starts (default 0: any event)
 * @param cooldownPeriod         idle time (no lag, nothing in flight) before going to {@code minReplicas}
 *                               when that is 0 (default 30 s; KEDA's is 300 s)
 * @param pollingInterval        how often lag is read (default 1 s; KEDA's is 30 s — and activation does
 *                               not wait for it at all, see {@link LagSnapshot#activationSignal()})
 * @param stabilizationWindow    a scale-down takes the highest recommendation of this window, so a dip in
 *                               lag does not stop replicas that are needed again a moment later (default
 *                               30 s; Surge's, in the spirit of the HPA's scale-down stabilization)
 */
public record ScalingPolicy(int minReplicas, int maxReplicas, long lagThreshold, long activationLagThreshold,
        Duration cooldownPeriod, Duration pollingInterval, Duration stabilizationWindow) {

    public static final ScalingPolicy DEFAULT = new ScalingPolicy(0, 5, 10, 0, Duration.ofSeconds(30),
            Duration.ofSeconds(1), Duration.ofSeconds(30));
}
