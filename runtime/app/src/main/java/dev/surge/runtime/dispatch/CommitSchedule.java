package dev.surge.runtime.dispatch;

import dev.surge.core.delivery.FinishedOffsets;
import dev.surge.core.scaling.PartitionBacklog;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What to commit when. Each commit of a partition carries its {@link PartitionBacklog} as the offset's
 * metadata (the scaler reads it with the committed offsets), so a partition is due when its committable
 * offset <em>or</em> its backlog changed since the last commit sent: a matched event stuck in retries keeps
 * the offset, but the read position moves on and the scaler must see it.
 *
 * <p>After the backlog the metadata lists the partition's {@link FinishedOffsets}: events above the committed
 * offset that are finished while an earlier one is not (in retry, in flight). A dispatcher that takes the partition
 * over after a crash skips them, so a crash redelivers what finished since the last commit (one tick, about
 * {@value DeliveryEngine#COMMIT_INTERVAL_MS} ms), not everything after the oldest event in retry.
 *
 * <p>A commit that failed (a rebalance in progress, a broker away) is sent again at the next tick if the
 * partition is still held: {@link #failed} forgets what was sent, unless a newer commit was sent since.
 * No I/O; used on the engine's context only.
 */
final class CommitSchedule {
    private final Map<TopicPartition, OffsetAndMetadata> sent = new HashMap<>();
    private boolean withFinished = true;

    /** The commits due now for these lanes, remembered as sent. */
    Map<TopicPartition, OffsetAndMetadata> due(Collection<Lanes.Lane> lanes) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Lanes.Lane lane : lanes) {
            OffsetAndMetadata now = current(lane);
            if (now != null && !now.equals(sent.get(lane.partition))) {
                out.put(lane.partition, now);
                sent.put(lane.partition, now);
            }
        }
        return out;
    }

    /** What to commit for these lanes regardless of what was sent (when they are given up or at the end). */
    Map<TopicPartition, OffsetAndMetadata> last(Collection<Lanes.Lane> lanes) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Lanes.Lane lane : lanes) {
            OffsetAndMetadata now = current(lane);
            if (now != null) {
                out.put(lane.partition, now);
            }
        }
        return out;
    }

    /** These commits failed: send the partitions again at the next tick, unless newer ones went out since. */
    void failed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> sent.remove(tp, om));
    }

    /** The partitions are no longer held: nothing more to commit for them. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(sent::remove);
    }

    /**
     * The cluster refused a commit's metadata as too long (a broker whose offset.metadata.max.bytes is below the
     * default): commit the offsets and the backlog alone from now on; a crash then redelivers more, nothing else.
     */
    void withoutFinishedOffsets() {
        withFinished = false;
    }

    private OffsetAndMetadata current(Lanes.Lane lane) {
        long offset = lane.offsets.committable();
        PartitionBacklog backlog = lane.backlog();
        if (offset < 0 || backlog == null) {
            return null;
        }
        String finished = withFinished ? lane.offsets.finishedAbove().encode(offset) : "";
        return new OffsetAndMetadata(offset, backlog.encode() + finished);
    }
}
