package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.core.scaling.ScalingPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Reads a Function's {@code spec}: image or path, port, env, concurrency and {@code scaling}. */
final class FunctionSpecReader implements SpecReader<Function> {
    private static final String SPEC = "spec.";
    private static final String SCALING = "spec.scaling.";

    private final Path baseDir;

    /** @param baseDir folder that a relative {@code spec.path} is resolved against */
    FunctionSpecReader(Path baseDir) {
        this.baseDir = baseDir;
    }

    @Override
    public Function read(Metadata metadata, JsonNode spec, DocumentFields fields) {
        fields.unknownFields(spec, SPEC, Set.of("image", "path", "port", "env", "resources", "concurrency", "scaling"));
        String image = fields.string(spec, SPEC, "image");
        String path = fields.string(spec, SPEC, "path");
        if (image == null && path == null) {
            fields.problem("spec.path", "a function needs a path (local mode: a built quarkus-app folder or jar)"
                    + " or an image (Kubernetes)");
        }
        if (path != null) {
            path = baseDir.resolve(path).normalize().toString();
        }
        int port = fields.integer(spec, SPEC, "port", Function.DEFAULT_PORT, 1, 65_535);
        int concurrency = fields.integer(spec, SPEC, "concurrency", Function.DEFAULT_CONCURRENCY, 1, 100_000);
        Map<String, String> env = fields.stringMap(spec, "env", "spec.env");
        ScalingPolicy scaling = scaling(spec.get("scaling"), fields);
        return metadata == null ? null : new Function(metadata, image, path, port, env, concurrency, scaling);
    }

    private static ScalingPolicy scaling(JsonNode node, DocumentFields fields) {
        ScalingPolicy d = ScalingPolicy.DEFAULT;
        if (node == null || node.isNull()) {
            return d;
        }
        if (!node.isObject()) {
            fields.problem("spec.scaling", "must be a mapping");
            return d;
        }
        fields.unknownFields(node, SCALING, Set.of("minReplicas", "maxReplicas", "lagThreshold",
                "activationLagThreshold", "cooldownPeriod", "pollingInterval", "stabilizationWindow"));
        int min = fields.integer(node, SCALING, "minReplicas", d.minReplicas(), 0, 1000);
        int max = fields.integer(node, SCALING, "maxReplicas", Math.max(d.maxReplicas(), min), 1, 1000);
        if (max < min) {
            fields.problem(SCALING + "maxReplicas", "must not be below minReplicas (" + min + ")");
        }
        int lagThreshold = fields.integer(node, SCALING, "lagThreshold", (int) d.lagThreshold(), 1,
                Integer.MAX_VALUE);
        int activation = fields.integer(node, SCALING, "activationLagThreshold", (int) d.activationLagThreshold(), 0,
                Integer.MAX_VALUE);
        Duration cooldown = fields.duration(node, SCALING, "cooldownPeriod", d.cooldownPeriod());
        Duration polling = fields.duration(node, SCALING, "pollingInterval", d.pollingInterval());
        Duration stabilization;
        JsonNode window = node.get("stabilizationWindow");
        if (window != null && "PT0S".equals(window.asText())) {
            stabilization = Duration.ZERO; // no stabilization: allowed, unlike the other durations
        } else {
            stabilization = fields.duration(node, SCALING, "stabilizationWindow", d.stabilizationWindow());
        }
        return new ScalingPolicy(min, Math.max(max, 1), lagThreshold, activation, cooldown, polling, stabilization);
    }
}
