package dev.surge.core.scaling;

import java.util.Locale;
import java.util.Optional;

/**
 * What a trigger's dispatcher knows of one partition's backlog of <em>matching</em> events, as of its last
 * commit. The dispatcher writes it into the metadata of the offset it commits, so anyone with Kafka Admin
 * access (local mode's scaler, the Kubernetes operator) reads it with the committed offsets — no extra
 * endpoint, and it survives restarts of either side.
 *
 * <p>Events a trigger's filter passes over never count: a matching event already read is counted exactly
 * ({@link #matchedWaiting}); events not read yet are estimated with {@link #matchRatio} — the partition's
 * observed match ratio while the dispatcher holds it paused by backpressure, and 0 while it reads the partition
 * freely (it counts those events exactly within a poll; a ratio observed on earlier traffic must not start a
 * function for a flood its filter passes over).
 *
 * @param readPosition   the next offset the dispatcher will read from this partition
 * @param matchedWaiting events read and matched but not finished yet (queued, in flight, retrying)
 * @param matchRatio     the share of unread events expected to match, 0..1: the observed share of recently read
 *                       events the filter accepted while the partition is paused, else 0
 */
public record PartitionBacklog(long readPosition, long matchedWaiting, double matchRatio) {
    /** Metadata prefix and version; anything else in the metadata (another tool's commit) is not ours. */
    static final String PREFIX = "surge1:";

    public PartitionBacklog {
        if (readPosition < 0 || matchedWaiting < 0 || !(matchRatio >= 0 && matchRatio <= 1)) {
            throw new IllegalArgumentException("invalid backlog " + readPosition + "/" + matchedWaiting + "/" + matchRatio);
        }
    }

    /**
     * Matching events of this partition not finished yet, given the partition's end offset now: the exact
     * count of those read, plus the unread events estimated with the observed match ratio (rounded up, so one
     * likely match is one event, not zero).
     */
    public long matched(long endOffset) {
        long unread = Math.max(0, endOffset - readPosition);
        return matchedWaiting + (long) Math.ceil(unread * matchRatio);
    }

    /** The form stored as offset metadata: {@code surge1:<readPosition>:<matchedWaiting>:<matchRatio>}. */
    public String encode() {
        return PREFIX + readPosition + ":" + matchedWaiting + ":" + String.format(Locale.ROOT, "%.4f", matchRatio);
    }

    /**
     * Reads what {@link #encode()} wrote. Empty for a partition no Surge dispatcher has reported on (no
     * commit, or metadata of another tool): its backlog is unknown, and the scaler must not count raw lag
     * there, or events the filter will pass over would start the function. A dispatcher that meets a
     * matching event for a function at zero signals activation itself. What follows a {@code ';'} is other
     * information of the dispatcher's and is ignored here.
     */
    public static Optional<PartitionBacklog> decode(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        // Sections after a ';' are the dispatcher's own (FinishedOffsets), not the backlog's.
        int end = metadata.indexOf(';');
        String backlog = end < 0 ? metadata : metadata.substring(0, end);
        String[] parts = backlog.substring(PREFIX.length()).split(":");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PartitionBacklog(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                    Double.parseDouble(parts[2])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
