package dev.surge.core.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the policy remembers between decisions: the replicas now, when the function last had work, when it
 * last scaled, and the recent recommendations that stabilise scale-down. Immutable: {@link #after} returns
 * the history that follows a decision.
 */
public final class ScalingHistory {
    record Recommendation(Instant at, int replicas) {
    }

    private final int replicas;
    private final Instant lastActive;
    private final Instant lastScaled;
    private final Deque<Recommendation> recent;

    private ScalingHistory(int replicas, Instant lastActive, Instant lastScaled, Deque<Recommendation> recent) {
        this.replicas = replicas;
        this.lastActive = lastActive;
        this.lastScaled = lastScaled;
        this.recent = recent;
    }

    /** A function seen for the first time, running {@code replicas}, counted as active at {@code now}. */
    public static ScalingHistory start(int replicas, Instant now) {
        return new ScalingHistory(replicas, now, null, new ArrayDeque<>());
    }

    /**
     * A history rebuilt from what an earlier scaler recorded (the operator's new leader, from a Function's status):
     * {@code replicas} running, last active at {@code lastActive}, last scaled at {@code lastScaled} (or null). A
     * scale at {@code lastScaled} means the policy then recommended at least {@code replicas}, so that
     * recommendation opens the stabilization window: a scale-down waits for the window, as it would have under the
     * scaler that made it.
     */
    public static ScalingHistory restore(int replicas, Instant lastActive, Instant lastScaled) {
        Deque<Recommendation> recent = new ArrayDeque<>();
        if (lastScaled != null) {
            recent.add(new Recommendation(lastScaled, replicas));
        }
        return new ScalingHistory(replicas, lastActive, lastScaled, recent);
    }

    public int replicas() {
        return replicas;
    }

    public Instant lastActive() {
        return lastActive;
    }

    /** When the replicas last changed, or null. */
    public Instant lastScaled() {
        return lastScaled;
    }

    /** Highest recommendation within {@code window} before {@code now}, at least {@code floor}. */
    int highestSince(Instant now, Duration window, int floor) {
        int max = floor;
        for (Recommendation r : recent) {
            if (!r.at().isBefore(now.minus(window))) {
                max = Math.max(max, r.replicas());
            }
        }
        return max;
    }

    /** The history after deciding {@code decision} at {@code now} from a raw {@code recommendation}. */
    ScalingHistory after(ScalingDecision decision, int recommendation, boolean active, Instant now, Duration window) {
        Deque<Recommendation> next = new ArrayDeque<>(recent);
        next.addLast(new Recommendation(now, recommendation));
        while (!next.isEmpty() && next.peekFirst().at().isBefore(now.minus(window))) {
            next.removeFirst();
        }
        return new ScalingHistory(decision.replicas(), active ? now : lastActive,
                decision.changes() ? now : lastScaled, next);
    }

    /** The replicas changed outside the policy (a process crashed, a user stopped it). */
    public ScalingHistory withReplicas(int actual) {
        return new ScalingHistory(actual, lastActive, lastScaled, recent);
    }
}
