package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.core.scaling.ScalingPolicy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a Function's {@code spec}: image or path, port, env, resources, concurrency and {@code scaling}. */
final class FunctionSpecReader implements SpecReader<Function> {
    private static final String SPEC = "spec.";
    private static final String SCALING = "spec.scaling.";
    private static final String RESOURCES = "spec.resources.";
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

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
        env.keySet().forEach(name -> envName(name, fields));
        resources(spec.get("resources"), fields);
        ScalingPolicy scaling = scaling(spec.get("scaling"), fields);
        return metadata == null ? null : new Function(metadata, image, path, port, env, concurrency, scaling);
    }

    /**
     * An environment variable's name as Kubernetes (1.20 to at least 1.29) takes it in a container: letters, digits,
     * '_', '-' and '.', not starting with a digit, and not '.', '..' or '..'-something. Checked in local mode too, so
     * a surge.yaml that runs here also runs on a cluster.
     */
    private static void envName(String name, DocumentFields fields) {
        if (!ENV_NAME.matcher(name).matches()) {
            fields.problem("spec.env." + name, "'" + name + "' is not a valid environment variable name: use letters,"
                    + " digits, '_', '-' and '.', not starting with a digit (e.g. 'MY_VAR' or 'my.var')");
        } else if (name.startsWith("..") || name.equals(".")) {
            fields.problem("spec.env." + name, "'" + name + "' is not a valid environment variable name: it must not"
                    + " be '.' or start with '..'");
        }
    }

    /**
     * {@code spec.resources}, a container's requests and limits (Kubernetes mode; local mode ignores them): each a
     * quantity that is not negative, and no request above its limit, as the API server requires of a Deployment.
     * Which resource names a cluster knows (cpu, memory, extended resources such as {@code nvidia.com/gpu}) is the
     * API server's to say. Nothing is kept: the operator copies the custom resource's own field.
     */
    private static void resources(JsonNode node, DocumentFields fields) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            fields.problem("spec.resources", "must be a mapping with requests and limits");
            return;
        }
        fields.unknownFields(node, RESOURCES, Set.of("requests", "limits", "claims"));
        Map<String, BigDecimal> limits = quantities(node, "limits", fields);
        quantities(node, "requests", fields).forEach((name, request) -> {
            BigDecimal limit = limits.get(name);
            if (limit != null && request.compareTo(limit) > 0) {
                fields.problem(RESOURCES + "requests." + name, "'" + node.path("requests").path(name).asText()
                        + "' must not be above the limit (" + RESOURCES + "limits." + name + ": '"
                        + node.path("limits").path(name).asText() + "')");
            }
        });
    }

    /** The valid quantities of {@code requests} or {@code limits}, by resource name; each wrong one reported. */
    private static Map<String, BigDecimal> quantities(JsonNode resources, String key, DocumentFields fields) {
        JsonNode node = resources.get(key);
        Map<String, BigDecimal> valid = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return valid;
        }
        if (!node.isObject()) {
            fields.problem(RESOURCES + key, "must be a mapping of resource names to quantities, e.g. {cpu: 500m,"
                    + " memory: 256Mi}");
            return valid;
        }
        node.fields().forEachRemaining(e -> {
            String field = RESOURCES + key + "." + e.getKey();
            JsonNode v = e.getValue();
            // a number with a fraction (YAML's 0.5) is neither of the CRD's integer or string
            Optional<BigDecimal> value = v.isTextual() || v.isIntegralNumber()
                    ? ResourceQuantity.parse(v.asText()) : Optional.empty();
            if (value.isEmpty()) {
                fields.problem(field, "'" + v.asText() + "' is not a quantity: write a number with an optional"
                        + " suffix, e.g. 500m or '0.5' (CPU), 256Mi or 1G (memory)");
            } else if (value.get().signum() < 0) {
                fields.problem(field, "must not be negative, not '" + v.asText() + "'");
            } else {
                valid.put(e.getKey(), value.get());
            }
        });
        return valid;
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
