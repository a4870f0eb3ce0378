package dev.surge.operator.status;

import dev.surge.core.scaling.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * When a new backlog is written to {@code status.lag}: a backlog read every second that moves by a few events would
 * otherwise be a status write (and a watch event for every client of Functions and Triggers) every second per
 * Function. Pure: the reconcilers remember when they wrote.
 *
 * <p>The rule: an unchanged lag is never written; a changed one is written at once when it crosses zero (a Function
 * goes idle or gets work: the cooldown, and a new leader's rebuilt history, start from it), and — for a Function —
 * when it crosses {@code activationLagThreshold} or changes the replicas it asks for ({@code ceil(lag /
 * lagThreshold)} within {@code [minReplicas, maxReplicas]}), which is what a user watching a scaling decision looks
 * for; any other change waits until the last write is {@link #REFRESH} old.
 */
public final class StatusLag {
    /** Longest a changed lag waits to be written. */
    public static final Duration REFRESH = Duration.ofSeconds(10);

    private StatusLag() {
    }

    /**
     * Whether to write {@code lag} now.
     *
     * @param written   the lag in the status now, or null
     * @param writtenAt when this operator last wrote it, or null when it does not know (it just started or became
     *                  leader)
     * @param policy    the Function's scaling, or null for a Trigger (whose lag is one part of its Function's)
     */
    public static boolean due(Long written, Instant writtenAt, long lag, Instant now, ScalingPolicy policy) {
        if (written == null) {
            return true;
        }
        if (written == lag) {
            return false;
        }
        if ((written == 0) != (lag == 0)) {
            return true;
        }
        if (policy != null && ((written > policy.activationLagThreshold()) != (lag > policy.activationLagThreshold())
                || replicasAskedFor(written, policy) != replicasAskedFor(lag, policy))) {
            return true;
        }
        return writtenAt == null || !now.isBefore(writtenAt.plus(REFRESH));
    }

    /** Time until a changed lag that is not {@link #due} now will be, for a reconcile to come back then. */
    public static Duration untilDue(Instant writtenAt, Instant now) {
        Duration left = writtenAt == null ? Duration.ZERO : Duration.between(now, writtenAt.plus(REFRESH));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static long replicasAskedFor(long lag, ScalingPolicy policy) {
        long raw = lag <= 0 ? 0 : (lag + policy.lagThreshold() - 1) / policy.lagThreshold();
        return Math.max(policy.minReplicas(), Math.min(policy.maxReplicas(), raw));
    }
}
