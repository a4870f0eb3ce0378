package dev.surge.runtime.dispatch;

import java.util.concurrent.TimeUnit;

/**
 * How long a trigger's consumer waits after a poll before it fetches again. Every trigger of a broker reads
 * every event of it, and most triggers pass over most events; a fetch costs the consumer and the broker far more
 * than the records in it (request, response, wake-ups: the demo's four triggers cost 55 µs of CPU per event, trigger
 * threads and broker together, at 9,000 events/s with a handful of records per fetch; 23 µs with this pacing), so
 * the records of a flood should gather into a few large fetches. Waiting in
 * the broker instead ({@code fetch.min.bytes}) would make every idle trigger fetch each {@code fetch.max.wait.ms},
 * so the loop keeps Kafka's long poll for idle consumers and paces itself here.
 *
 * <ul>
 *   <li>Nothing read: no wait (the next fetch waits in the broker for the next event).</li>
 *   <li>Behind (more waiting in the partitions just read than that poll returned): no wait, read the backlog.</li>
 *   <li>The poll held events the trigger delivers and was small: {@link #AFTER_MATCHES_NANOS}, which an event
 *       the trigger wants may wait longer at most.</li>
 *   <li>The poll held nothing the trigger wants: {@link #AFTER_PASSED_OVER_NANOS}. Only a trigger reading a
 *       flood of events it passes over waits that long, and the first event it wants after them waits at most
 *       that much longer.</li>
 * </ul>
 * Pure: the loop measures, this decides.
 */
final class FetchPace {
    static final long AFTER_MATCHES_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long AFTER_PASSED_OVER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** A poll with matches of at least this many bytes is large enough to fetch again at once. */
    static final long SMALL_POLL_BYTES = 32 * 1024;

    private FetchPace() {
    }

    /**
     * @param records  the records the poll returned
     * @param bytes    their keys' and values' bytes
     * @param matched  how many of them the trigger's filter accepted
     * @param lagAfter the records still waiting after the poll in the partitions it returned records of
     * @return nanoseconds to wait before the next poll
     */
    static long nanosAfter(int records, long bytes, int matched, long lagAfter) {
        if (records == 0 || lagAfter > records) {
            return 0;
        }
        if (matched == 0) {
            return AFTER_PASSED_OVER_NANOS;
        }
        return bytes < SMALL_POLL_BYTES ? AFTER_MATCHES_NANOS : 0;
    }
}
