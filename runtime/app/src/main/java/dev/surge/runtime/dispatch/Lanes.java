package dev.surge.runtime.dispatch;

import dev.surge.core.delivery.MatchRatio;
import dev.surge.core.delivery.OffsetTracker;
import dev.surge.core.delivery.Ordering;
import dev.surge.core.delivery.PartitionQueue;
import dev.surge.core.scaling.PartitionBacklog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions a trigger's dispatcher holds now, one lane each: its waiting events (a
 * {@link PartitionQueue} applying the trigger's ordering), its unfinished offsets (an {@link OffsetTracker}),
 * the bytes its unfinished events hold, and what it knows of its backlog. No I/O and no threads: the engine
 * uses it from its context and acts on the pause and resume decisions.
 *
 * <p>Memory is bounded in bytes: a partition whose unfinished events hold more than {@code partitionBytes}
 * is paused, and every partition with events is paused while the trigger's lanes together hold more than
 * {@code triggerBytes}; a paused partition resumes once below half of both.
 */
final class Lanes {
    final class Lane {
        final TopicPartition partition;
        final OffsetTracker offsets = new OffsetTracker();
        final PartitionQueue<Delivery> queue = new PartitionQueue<>(ordering);
        final MatchRatio matchRatio = new MatchRatio();
        long bytes;
        /** Matched events read and not finished: waiting, in flight or retrying. */
        long matchedWaiting;
        /** Events after the read position not read yet, as the consumer last saw (0 when unknown). */
        long unread;
        boolean paused;

        Lane(TopicPartition partition) {
            this.partition = partition;
        }

        /** What to report of this partition's backlog, or null before anything was read from it. */
        PartitionBacklog backlog() {
            long position = offsets.next();
            if (position < 0) {
                return null;
            }
            // Unread events are estimated only while this partition is paused: a partition read freely has its
            // next events read and counted exactly within a poll, and a stale ratio (matching traffic a moment
            // ago, a flood of non-matching events now) would otherwise start a function for events it will
            // pass over.
            return new PartitionBacklog(position, matchedWaiting, paused ? matchRatio.value() : 0.0);
        }

        long matchedBacklog() {
            PartitionBacklog b = backlog();
            return b == null ? 0 : b.matched(b.readPosition() + unread);
        }
    }

    private final Ordering ordering;
    private final long partitionBytes;
    private final long triggerBytes;
    private final Map<TopicPartition, Lane> lanes = new LinkedHashMap<>();
    private long bytes;
    private int rotationStart;

    Lanes(Ordering ordering, long partitionBytes, long triggerBytes) {
        this.ordering = ordering;
        this.partitionBytes = partitionBytes;
        this.triggerBytes = triggerBytes;
    }

    Lane lane(TopicPartition partition) {
        return lanes.computeIfAbsent(partition, Lane::new);
    }

    /** Whether {@code d} belongs to a lane still held (its partition was not taken away since). */
    boolean holds(Delivery d) {
        return lanes.get(d.lane.partition) == d.lane;
    }

    /**
     * Queues a delivery the trigger wants; false when its record was read before (a fetch repeated after a seek)
     * and is already tracked. Records the trigger passed over never come here: the consumer's progress
     * ({@link OffsetTracker#advanceTo}) marks them done.
     */
    boolean take(Lane lane, long offset, Delivery delivery) {
        if (offset < lane.offsets.next()) {
            return false;
        }
        lane.offsets.track(offset);
        lane.queue.add(delivery, delivery.key);
        lane.bytes += delivery.bytes;
        lane.matchedWaiting++;
        bytes += delivery.bytes;
        return true;
    }

    /** A delivery taken from its queue earlier is over: delivered, dead-lettered. */
    void finish(Delivery d) {
        Lane lane = d.lane;
        lane.offsets.done(d.offset);
        lane.queue.finished(d.key);
        lane.bytes -= d.bytes;
        lane.matchedWaiting--;
        bytes -= d.bytes;
    }

    /** Forgets the partitions (revoked or lost); returns the lanes that were held, with their last state. */
    List<Lane> remove(Collection<TopicPartition> partitions) {
        List<Lane> removed = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Lane lane = lanes.remove(tp);
            if (lane != null) {
                bytes -= lane.bytes;
                removed.add(lane);
            }
        }
        return removed;
    }

    /** Lanes to pause now by the byte bounds (marked paused). */
    List<Lane> toPause() {
        List<Lane> out = new ArrayList<>();
        boolean overall = bytes > triggerBytes;
        for (Lane lane : lanes.values()) {
            if (!lane.paused && (lane.bytes > partitionBytes || (overall && lane.bytes > 0))) {
                lane.paused = true;
                out.add(lane);
            }
        }
        return out;
    }

    /** Paused lanes that went below half of both bounds (marked resumed). */
    List<Lane> toResume() {
        if (bytes > triggerBytes / 2) {
            return List.of();
        }
        List<Lane> out = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            if (lane.paused && lane.bytes <= partitionBytes / 2) {
                lane.paused = false;
                out.add(lane);
            }
        }
        return out;
    }

    /** The lanes, starting one further each time, so that no partition always goes first. */
    List<Lane> rotation() {
        List<Lane> all = new ArrayList<>(lanes.values());
        if (all.size() > 1) {
            Collections.rotate(all, -(rotationStart++ % all.size()));
        }
        return all;
    }

    Collection<Lane> all() {
        return lanes.values();
    }

    boolean anyWaiting() {
        for (Lane lane : lanes.values()) {
            if (lane.queue.waiting() > 0) {
                return true;
            }
        }
        return false;
    }

    long bytes() {
        return bytes;
    }

    long matchedBacklog() {
        long sum = 0;
        for (Lane lane : lanes.values()) {
            sum += lane.matchedBacklog();
        }
        return sum;
    }
}
