package dev.surge.core.delivery;

/**
 * The share of a partition's recently read events that a trigger's filter accepted: an exponentially
 * weighted average over batches, so a change in the mix of events shows within a few batches while one odd
 * batch does not swing it. Unknown (0) until the first batch. Not thread-safe.
 */
public final class MatchRatio {
    /** Weight of the newest batch. */
    static final double WEIGHT = 0.3;
    private double value = -1;

    /** A batch of {@code read} events of which {@code matched} passed the filter. */
    public void observe(int matched, int read) {
        if (read <= 0) {
            return;
        }
        double batch = Math.min(1.0, Math.max(0.0, (double) matched / read));
        value = value < 0 ? batch : value + WEIGHT * (batch - value);
    }

    /** 0..1; 0 before anything was read. */
    public double value() {
        return value < 0 ? 0 : value;
    }
}
