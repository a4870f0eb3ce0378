package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.core.auth.IngressAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** Reads a Broker's {@code spec: partitions, replicationFactor, retention, ingress: {auth}}. */
final class BrokerSpecReader implements SpecReader<Broker> {
    private static final String SPEC = "spec.";

    private final IngressAuthReader auth;

    /** @param baseDir folder that a relative {@code spec.ingress.auth.tokens.file} is resolved against */
    BrokerSpecReader(Path baseDir) {
        this.auth = new IngressAuthReader(baseDir);
    }

    @Override
    public Broker read(Metadata metadata, JsonNode spec, DocumentFields fields) {
        fields.unknownFields(spec, SPEC, Set.of("partitions", "replicationFactor", "retention", "ingress"));
        int partitions = fields.integer(spec, SPEC, "partitions", Broker.DEFAULT_PARTITIONS, 1, 10_000);
        int replication = fields.integer(spec, SPEC, "replicationFactor", Broker.DEFAULT_REPLICATION_FACTOR, 1,
                Short.MAX_VALUE);
        Duration retention = fields.duration(spec, SPEC, "retention", Broker.DEFAULT_RETENTION);
        IngressAuth policy = IngressAuth.DEFAULT;
        JsonNode ingress = spec.path("ingress");
        if (!ingress.isMissingNode() && !ingress.isNull()) {
            if (!ingress.isObject()) {
                fields.problem("spec.ingress", "must be a mapping with auth");
            } else {
                fields.unknownFields(ingress, "spec.ingress.", Set.of("auth"));
                JsonNode node = ingress.path("auth");
                if (!node.isMissingNode() && !node.isNull()) {
                    policy = auth.read(node, "spec.ingress.auth.", fields);
                }
            }
        }
        return metadata == null ? null
                : new Broker(metadata, partitions, (short) replication, retention, policy);
    }
}
