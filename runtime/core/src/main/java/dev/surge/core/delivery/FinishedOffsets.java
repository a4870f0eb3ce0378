package dev.surge.core.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * Offsets of one partition above its committed offset whose events are already finished (delivered,
 * dead-lettered or passed over) while an earlier one is not: an event in retry holds the committed offset where
 * it is, and everything delivered after it would be delivered again after a crash. A dispatcher writes them next
 * to the commit and, taking the partition over after a crash, skips them, so what a crash redelivers is what was
 * finished since the last commit, not since the oldest unfinished event (the technique of Confluent's parallel
 * consumer).
 *
 * <p>Ranges are half-open {@code [from, to)}, sorted and apart. Stored in the offset's metadata after
 * {@link #SECTION}, relative to the committed offset ({@code base}): each range as {@code gap+length}, the gap
 * counted from the end of the range before (the first from {@code base}), e.g. base 100, ranges [101,105) and
 * [106,116) are {@code 1+4,1+10}. Any subset of the finished offsets is correct, so a list that would be too long
 * is cut ({@link #MAX_RANGES}): fewer events are skipped, none is lost.
 */
public final class FinishedOffsets {
    /** Where the ranges start in a commit's metadata; what comes before is the {@code PartitionBacklog}. */
    public static final String SECTION = ";done=";
    /**
     * Most ranges written with one commit: about 1.5 KiB at most, well inside Kafka's default limit of a commit's
     * metadata (offset.metadata.max.bytes, 4 KiB). Each range is a gap after an unfinished event, so there are as
     * many as events in flight or in retry at once.
     */
    public static final int MAX_RANGES = 128;
    public static final FinishedOffsets NONE = new FinishedOffsets(new long[0]);

    /** from0, to0, from1, to1, … */
    private final long[] bounds;

    private FinishedOffsets(long[] bounds) {
        this.bounds = bounds;
    }

    /** Collects ranges in increasing order; a range touching the last one extends it. */
    public static final class Builder {
        private final List<long[]> ranges = new ArrayList<>();

        /** Adds {@code [from, to)}; false (and nothing added) once {@link #MAX_RANGES} are held. */
        public boolean add(long from, long to) {
            if (to <= from) {
                return true;
            }
            if (!ranges.isEmpty()) {
                long[] last = ranges.get(ranges.size() - 1);
                if (from < last[1]) {
                    throw new IllegalArgumentException("range [" + from + "," + to + ") after [" + last[0] + ","
                            + last[1] + ")");
                }
                if (from == last[1]) {
                    last[1] = to;
                    return true;
                }
            }
            if (ranges.size() >= MAX_RANGES) {
                return false;
            }
            ranges.add(new long[] {from, to});
            return true;
        }

        public FinishedOffsets build() {
            long[] b = new long[ranges.size() * 2];
            for (int i = 0; i < ranges.size(); i++) {
                b[2 * i] = ranges.get(i)[0];
                b[2 * i + 1] = ranges.get(i)[1];
            }
            return b.length == 0 ? NONE : new FinishedOffsets(b);
        }
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** Whether the event at {@code offset} is finished by these ranges. */
    public boolean contains(long offset) {
        int lo = 0;
        int hi = bounds.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (offset < bounds[2 * mid]) {
                hi = mid - 1;
            } else if (offset >= bounds[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** How many offsets the ranges hold. */
    public long count() {
        long n = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            n += bounds[i + 1] - bounds[i];
        }
        return n;
    }

    /** The offset after the last range: from there on nothing is known finished. 0 when empty. */
    public long end() {
        return bounds.length == 0 ? 0 : bounds[bounds.length - 1];
    }

    /** The ranges' metadata section for a commit at {@code base}, or "" when there is none. */
    public String encode(long base) {
        if (bounds.length == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder(SECTION);
        long previous = base;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] < previous) {
                throw new IllegalArgumentException("range from " + bounds[i] + " below the committed offset " + base);
            }
            out.append(i == 0 ? "" : ",").append(bounds[i] - previous).append('+').append(bounds[i + 1] - bounds[i]);
            previous = bounds[i + 1];
        }
        return out.toString();
    }

    /**
     * The ranges in a commit's metadata, committed at {@code base}; {@link #NONE} when it has none or they cannot
     * be read (another version's, another tool's): nothing is skipped then, and nothing is lost.
     */
    public static FinishedOffsets decode(long base, String metadata) {
        if (metadata == null || base < 0) {
            return NONE;
        }
        int at = metadata.indexOf(SECTION);
        if (at < 0) {
            return NONE;
        }
        String list = metadata.substring(at + SECTION.length());
        int end = list.indexOf(';');
        if (end >= 0) {
            list = list.substring(0, end);
        }
        Builder b = new Builder();
        long previous = base;
        try {
            for (String range : list.split(",")) {
                int plus = range.indexOf('+');
                long gap = Long.parseLong(range.substring(0, plus));
                long length = Long.parseLong(range.substring(plus + 1));
                if (gap < 0 || length <= 0) {
                    return NONE;
                }
                long from = previous + gap;
                if (!b.add(from, from + length)) {
                    break;
                }
                previous = from + length;
            }
        } catch (RuntimeException e) {
            return NONE;
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FinishedOffsets f && java.util.Arrays.equals(bounds, f.bounds);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FinishedOffsets[");
        for (int i = 0; i < bounds.length; i += 2) {
            s.append(i == 0 ? "" : " ").append('[').append(bounds[i]).append(',').append(bounds[i + 1]).append(')');
        }
        return s.append(']').toString();
    }
}
