package dev.surge.core.delivery;

import java.util.TreeSet;

/**
 * The committable offset of one partition while its events finish out of order: the offset below which
 * every tracked event is done. Offsets must be tracked in increasing order. Not thread-safe.
 */
public final class OffsetTracker {
    private final TreeSet<Long> pending = new TreeSet<>();
    private long next = -1;

    /** An event at {@code offset} was taken from Kafka and is not finished yet. */
    public void track(long offset) {
        if (offset < next) {
            throw new IllegalArgumentException("offset " + offset + " tracked after " + (next - 1));
        }
        pending.add(offset);
        next = offset + 1;
    }

    /**
     * The consumer's position moved to {@code position}: no event below it will come any more. Offsets the
     * consumer skipped (transaction markers, aborted records under {@code read_committed}) then count as done,
     * so the committable offset is not held behind them. Never moves back.
     */
    public void advanceTo(long position) {
        if (position > next) {
            next = position;
        }
    }

    /** The offset after the last one tracked or advanced to, or -1 when nothing was. */
    public long next() {
        return next;
    }

    /** The event at {@code offset} is finished: delivered, dead-lettered, or not wanted by the filter. */
    public void done(long offset) {
        pending.remove(offset);
    }

    /** The offset to commit (the next one to read after a restart), or -1 when nothing was tracked. */
    public long committable() {
        return pending.isEmpty() ? next : pending.first();
    }

    /**
     * The offsets between {@link #committable()} and {@link #next()} that are done: the gaps after unfinished
     * events. At most {@link FinishedOffsets#MAX_RANGES} ranges, the lowest first.
     */
    public FinishedOffsets finishedAbove() {
        FinishedOffsets.Builder b = new FinishedOffsets.Builder();
        Long previous = null;
        for (long p : pending) {
            if (previous != null && !b.add(previous + 1, p)) {
                return b.build();
            }
            previous = p;
        }
        if (previous != null) {
            b.add(previous + 1, next);
        }
        return b.build();
    }

    public int pendingCount() {
        return pending.size();
    }
}
