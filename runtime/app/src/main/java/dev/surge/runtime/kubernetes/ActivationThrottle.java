package dev.surge.runtime.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * At most one activation request per Function per interval: a dispatcher asks on every event it holds for a
 * Function without a ready replica (every few milliseconds while it waits), and one write to the API server
 * a second is enough for the operator to start a replica.
 */
final class ActivationThrottle {
    private final Duration interval;
    private final Map<String, Instant> last = new HashMap<>();

    ActivationThrottle(Duration interval) {
        this.interval = interval;
    }

    /** Whether a request for {@code function} may go now; if so, it counts as made at {@code now}. */
    synchronized boolean tryAcquire(String function, Instant now) {
        Instant previous = last.get(function);
        if (previous != null && now.isBefore(previous.plus(interval))) {
            return false;
        }
        last.put(function, now);
        // Forget long-past requests, so the map stays as small as the set of Functions being activated.
        last.values().removeIf(t -> t.plus(interval).isBefore(now));
        return true;
    }
}
