package dev.surge.operator;

/**
 * The operator's own meters (Micrometer names; on {@code /q/metrics} with dots as underscores). JOSDK's own
 * (reconciliations, events, queue) come from its micrometer-support under {@code operator.sdk.*}.
 */
public final class OperatorMetrics {
    /** Counter: replicas changed by the scaler; tags {@code namespace}, {@code function}, {@code direction} (up|down). */
    public static final String SCALES = "surge.operator.scales";

    private OperatorMetrics() {
    }
}
