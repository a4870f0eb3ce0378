package dev.surge.core.resource;

import java.time.Duration;
import java.util.Objects;

/**
 * A named entry point that stores every accepted event in one Kafka topic.
 *
 * @param partitions        partitions of the broker's topic (default 3)
 * @param replicationFactor replicas of each partition (default 1, local mode has one Kafka node)
 * @param retention         how long Kafka keeps events (default 7 days)
 */
public record Broker(Metadata metadata, int partitions, short replicationFactor, Duration retention)
        implements Resource {
    public static final int DEFAULT_PARTITIONS = 3;
    public static final short DEFAULT_REPLICATION_FACTOR = 1;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public Broker {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(retention, "retention");
    }
}
