package dev.surge.core.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When to restart a replica that died (or stopped answering), or that it is time to give up — Kubernetes'
 * CrashLoopBackOff in a pure function. The delay doubles with every crash within {@code window}
 * ({@code initialDelay}, 2×, 4× … up to {@code maxDelay}); crashes older than the window are forgiven, so a
 * replica that ran well for a while starts again quickly. More than {@code maxCrashes} crashes within the
 * window is a crash loop: give up (0 never gives up).
 *
 * @param initialDelay pause before the first restart
 * @param maxDelay     longest pause between restarts
 * @param window       how far back crashes count
 * @param maxCrashes   crashes within the window after which restarting stops; 0 for never
 */
public record RestartPolicy(Duration initialDelay, Duration maxDelay, Duration window, int maxCrashes) {
    /** 0.5 s, 1 s, 2 s … 30 s; crashes older than 10 minutes forgiven; gives up after 20 within 10 minutes. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofMinutes(10), 20);

    public RestartPolicy {
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || window.isNegative() || window.isZero() || maxCrashes < 0) {
            throw new IllegalArgumentException("invalid restart policy " + initialDelay + "/" + maxDelay + "/" + window
                    + "/" + maxCrashes);
        }
    }

    /** Restart after {@code delay}, or give up (delay null); {@code reason} says why, in words. */
    public record Decision(boolean giveUp, Duration delay, String reason) {
        static Decision restartAfter(Duration delay, String reason) {
            return new Decision(false, delay, reason);
        }

        static Decision giveUp(String reason) {
            return new Decision(true, null, reason);
        }
    }

    /**
     * @param crashes every crash of the replica so far, the one just now included, oldest first
     * @param now     the time of the decision
     */
    public Decision decide(List<Instant> crashes, Instant now) {
        Instant since = now.minus(window);
        long recent = crashes.stream().filter(c -> c.isAfter(since) && !c.isAfter(now)).count();
        if (maxCrashes > 0 && recent > maxCrashes) {
            return Decision.giveUp(recent + " crashes within " + window + " (more than " + maxCrashes + ")");
        }
        int doublings = (int) Math.min(Math.max(recent - 1, 0), 30);
        Duration delay = initialDelay.multipliedBy(1L << doublings);
        if (delay.compareTo(maxDelay) > 0) {
            delay = maxDelay;
        }
        return Decision.restartAfter(delay, "crash " + Math.max(recent, 1) + " within " + window + "; restarting in "
                + delay.toMillis() + " ms");
    }
}
