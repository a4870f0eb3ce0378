package dev.surge.core.resource;

import dev.surge.core.auth.IngressAuth;
import java.time.Duration;
import java.util.Objects;

/**
 * A named entry point that stores every accepted event in one Kafka topic.
 *
 * @param partitions        partitions of the broker's topic (default 3)
 * @param replicationFactor replicas of each partition (default 1, local mode has one Kafka node)
 * @param retention         how long Kafka keeps events (default 7 days)
 * @param auth              who may post to it ({@code spec.ingress.auth}; default: this machine only)
 */
public record Broker(Metadata metadata, int partitions, short replicationFactor, Duration retention, IngressAuth auth)
        implements Resource {
    public static final int DEFAULT_PARTITIONS = 3;
    public static final short DEFAULT_REPLICATION_FACTOR = 1;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public Broker {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(auth, "auth");
    }

    /** A broker with the default policy (see {@link IngressAuth#DEFAULT}). */
    public Broker(Metadata metadata, int partitions, short replicationFactor, Duration retention) {
        this(metadata, partitions, replicationFactor, retention, IngressAuth.DEFAULT);
    }
}
