package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;

/** Reads a Broker's {@code spec: partitions, replicationFactor, retention}. */
final class BrokerSpecReader implements SpecReader<Broker> {
    private static final String SPEC = "spec.";

    @Override
    public Broker read(Metadata metadata, JsonNode spec, DocumentFields fields) {
        fields.unknownFields(spec, SPEC, Set.of("partitions", "replicationFactor", "retention"));
        int partitions = fields.integer(spec, SPEC, "partitions", Broker.DEFAULT_PARTITIONS, 1, 10_000);
        int replication = fields.integer(spec, SPEC, "replicationFactor", Broker.DEFAULT_REPLICATION_FACTOR, 1,
                Short.MAX_VALUE);
        Duration retention = fields.duration(spec, SPEC, "retention", Broker.DEFAULT_RETENTION);
        return metadata == null ? null : new Broker(metadata, partitions, (short) replication, retention);
    }
}
