package dev.surge.backlog;

import dev.surge.core.resource.Trigger;

/**
 * Reads how much work a trigger has for its function: the matching backlog, never raw consumer-group lag.
 * Implementations may block (they ask Kafka) and are called from the scaler's one thread.
 */
public interface BacklogReader {
    /**
     * Events of the trigger's broker that its filter accepts and that are not finished yet (read and waiting,
     * in flight or retrying, plus the unread ones estimated with the observed match ratio). A partition no
     * dispatcher has reported on counts 0.
     *
     * @throws Exception when Kafka cannot be asked now; the caller keeps its last value
     */
    long matchingBacklog(Trigger trigger) throws Exception;
}
