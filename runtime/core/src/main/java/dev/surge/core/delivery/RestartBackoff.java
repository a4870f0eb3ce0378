package dev.surge.core.delivery;

import java.time.Duration;

/**
 * How long a supervised trigger waits before its next restart: {@code first}, doubled after every
 * consecutive failure, at most {@code cap}. A run that lasted at least {@code cap} counts as healthy and
 * resets the sequence, so a trigger that fails once a day restarts at once, and one that fails at every
 * start does not spin.
 */
public record RestartBackoff(Duration first, Duration cap) {
    public static final RestartBackoff DEFAULT = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public RestartBackoff {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("restart backoff needs 0 < first <= cap, got " + first + ", " + cap);
        }
    }

    /** The pause before restart number {@code failures} in a row (1-based). */
    public Duration delay(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        long ms = first.toMillis() << doublings;
        return ms <= 0 || ms > cap.toMillis() ? cap : Duration.ofMillis(ms);
    }

    /** Whether a run that lasted {@code ran} before it failed resets the count of failures in a row. */
    public boolean healthy(Duration ran) {
        return ran.compareTo(cap) >= 0;
    }
}
