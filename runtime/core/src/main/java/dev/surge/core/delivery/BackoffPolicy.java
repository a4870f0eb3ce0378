package dev.surge.core.delivery;

/** How the pause before a retry grows: {@code delay × n} or {@code delay × 2^(n-1)} before the n-th retry. */
public enum BackoffPolicy {
    LINEAR,
    EXPONENTIAL
}
