package dev.surge.core.delivery;

/** In which order a trigger may deliver the events of one partition. */
public enum Ordering {
    /** Concurrently, up to {@code maxInFlight}; offsets still commit only past finished events. */
    UNORDERED,
    /** One event at a time per partition, in offset order. */
    ORDERED,
    /**
     * In offset order per {@code partitionkey}, concurrently across keys of a partition. Events without a key
     * are independent of each other.
     */
    KEYED
}
