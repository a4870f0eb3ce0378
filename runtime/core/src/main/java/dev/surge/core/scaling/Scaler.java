package dev.surge.core.scaling;

import java.time.Duration;
import java.time.Instant;

/**
 * The scaling decision, pure and shared by local mode and the operator. The base rule is KEDA's:
 * {@code desired = ceil(lag / lagThreshold)} clamped to {@code [minReplicas, maxReplicas]}; a function at zero
 * starts when lag passes {@code activationLagThreshold} (or a dispatcher signals a matching event); it goes
 * back to zero only after {@code cooldownPeriod} with no lag and nothing in flight, and until then keeps at
 * least one replica. Scale-up is immediate; scale-down takes the highest recommendation of the
 * stabilization window. Replicas beyond the partitions of {@code ordered} triggers would idle, so they are
 * not requested.
 */
public final class Scaler {
    private Scaler() {
    }

    /** The decision and the history that follows it. */
    public record Result(ScalingDecision decision, ScalingHistory history) {
    }

    public static Result decide(LagSnapshot lag, ScalingPolicy policy, ScalingHistory history, Instant now) {
        int current = history.replicas();
        boolean active = !lag.idle();
        int cap = Math.min(policy.maxReplicas(), Math.max(1, lag.partitionLimit()));
        int floor = Math.min(policy.minReplicas(), cap);

        int raw = (int) Math.min(Integer.MAX_VALUE, ceilDiv(lag.lag(), policy.lagThreshold()));
        String why = "lag " + lag.lag() + " / lagThreshold " + policy.lagThreshold() + " → " + raw;
        int wanted = raw;
        if (active && wanted == 0) {
            wanted = 1;
            why = lag.inFlight() > 0 ? lag.inFlight() + " in flight" : "activation signal";
        }
        if (wanted > cap) {
            why += ", capped at " + (cap < policy.maxReplicas() ? "partitions " + cap : "maxReplicas " + cap);
            wanted = cap;
        }
        if (wanted < floor) {
            why += ", raised to minReplicas " + floor;
            wanted = floor;
        }

        int desired;
        String reason;
        if (current == 0) {
            boolean activate = lag.activationSignal() || lag.lag() > policy.activationLagThreshold() || floor > 0;
            desired = activate ? Math.max(1, wanted) : 0;
            reason = activate ? "activate: " + why
                    : "stay at zero: lag " + lag.lag() + " ≤ activationLagThreshold " + policy.activationLagThreshold();
        } else if (wanted >= current) {
            desired = wanted;
            reason = wanted == current ? "steady: " + why : "scale up: " + why;
        } else if (!active && floor == 0) {
            Instant idleSince = history.lastActive();
            Duration idle = Duration.between(idleSince, now);
            if (idle.compareTo(policy.cooldownPeriod()) >= 0) {
                desired = 0;
                reason = "scale to zero: idle for " + idle.toMillis() + " ms ≥ cooldownPeriod " + policy.cooldownPeriod();
            } else {
                desired = Math.min(current, Math.max(1, history.highestSince(now, policy.stabilizationWindow(), 1)));
                reason = "cooling down: idle for " + idle.toMillis() + " ms < cooldownPeriod " + policy.cooldownPeriod()
                        + (desired < current ? "; scale down to " + desired : "");
            }
        } else {
            int stable = Math.min(current, history.highestSince(now, policy.stabilizationWindow(), wanted));
            desired = Math.max(stable, wanted);
            reason = desired < current ? "scale down: " + why + " (highest in stabilizationWindow " + desired + ")"
                    : "hold " + current + ": " + why + ", but " + current + " recommended within stabilizationWindow "
                            + policy.stabilizationWindow();
        }
        ScalingDecision decision = new ScalingDecision(desired, current, reason);
        return new Result(decision, history.after(decision, wanted, active, now, policy.stabilizationWindow()));
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
