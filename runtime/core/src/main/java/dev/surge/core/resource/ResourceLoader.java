package dev.surge.core.resource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.surge.core.delivery.BackoffPolicy;
import dev.surge.core.delivery.DeadLetterSink;
import dev.surge.core.delivery.DeliverySpec;
import dev.surge.core.delivery.Ordering;
import dev.surge.core.filter.FilterException;
import dev.surge.core.filter.TriggerFilter;
import dev.surge.core.filter.TriggerFilters;
import dev.surge.core.scaling.ScalingPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads Broker, Function and Trigger documents (API group {@code surge.dev/v1alpha1}) from a multi-document
 * YAML file such as {@code surge.yaml}, validates every field and the references between resources, and
 * reports every problem with the file, document, field and reason.
 */
public final class ResourceLoader {
    public static final String API_VERSION = "surge.dev/v1alpha1";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ResourceLoader() {
    }

    public static ResourceSet load(Path file) throws InvalidResourcesException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidResourcesException(List.of(new Problem(file.toString(), 0, null, null,
                    "file not found (working directory " + Path.of("").toAbsolutePath() + ")")));
        } catch (IOException e) {
            throw new InvalidResourcesException(List.of(new Problem(file.toString(), 0, null, null,
                    "cannot read: " + e.getMessage())));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), base);
    }

    /**
     * @param source  how the user names the text (a file path), used in problems
     * @param baseDir folder that relative function paths are resolved against
     */
    public static ResourceSet parse(String yaml, String source, Path baseDir) throws InvalidResourcesException {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(yaml);
                MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                documents.add(it.nextValue());
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new InvalidResourcesException(List.of(new Problem(source, 0, null, null,
                    "not valid YAML" + where + ": " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InvalidResourcesException(List.of(new Problem(source, 0, null, null, e.getMessage())));
        }
        return new Reading(source, baseDir).read(documents);
    }

    /** State of reading one file: the problems found so far and the resources read. */
    private static final class Reading {
        private final String source;
        private final Path baseDir;
        private final List<Problem> problems = new ArrayList<>();
        private final List<Broker> brokers = new ArrayList<>();
        private final List<Function> functions = new ArrayList<>();
        private final List<Trigger> triggers = new ArrayList<>();
        private final Map<Trigger, Integer> triggerDocuments = new LinkedHashMap<>();
        private final Set<String> seen = new HashSet<>();
        private int document;
        private String resource;

        Reading(String source, Path baseDir) {
            this.source = source;
            this.baseDir = baseDir;
        }

        ResourceSet read(List<JsonNode> documents) throws InvalidResourcesException {
            int index = 0;
            for (JsonNode doc : documents) {
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue; // an empty document, e.g. after a trailing '---'
                }
                document = index;
                resource = null;
                readDocument(doc);
            }
            checkReferences();
            if (!problems.isEmpty()) {
                throw new InvalidResourcesException(problems);
            }
            return new ResourceSet(brokers, functions, triggers);
        }

        private void readDocument(JsonNode doc) {
            if (!doc.isObject()) {
                problem(null, "a document must be a mapping with apiVersion, kind, metadata and spec");
                return;
            }
            String kind = doc.path("kind").asText(null);
            JsonNode metadataNode = doc.path("metadata");
            String name = metadataNode.path("name").asText(null);
            resource = (kind == null ? "?" : kind) + "/" + (name == null ? "?" : name);
            unknownFields(doc, "", Set.of("apiVersion", "kind", "metadata", "spec", "status"));
            String apiVersion = doc.path("apiVersion").asText(null);
            if (apiVersion == null) {
                problem("apiVersion", "is required; use " + API_VERSION);
            } else if (!API_VERSION.equals(apiVersion)) {
                problem("apiVersion", "'" + apiVersion + "' is not supported; use " + API_VERSION);
            }
            Metadata metadata = metadata(metadataNode);
            JsonNode spec = doc.path("spec");
            if (!spec.isMissingNode() && !spec.isObject()) {
                problem("spec", "must be a mapping");
                return;
            }
            if (kind == null) {
                problem("kind", "is required; use Broker, Function or Trigger");
                return;
            }
            if (metadata != null && !seen.add(kind + "/" + metadata.namespace() + "/" + metadata.name())) {
                problem("metadata.name", "a " + kind + " named '" + metadata.name() + "' is already declared in namespace '"
                        + metadata.namespace() + "'");
            }
            switch (kind) {
                case "Broker" -> broker(metadata, spec);
                case "Function" -> function(metadata, spec);
                case "Trigger" -> trigger(metadata, spec);
                default -> problem("kind", "'" + kind + "' is not a Surge resource; use Broker, Function or Trigger");
            }
        }

        private Metadata metadata(JsonNode node) {
            if (node.isMissingNode()) {
                problem("metadata", "is required with at least a name");
                return null;
            }
            if (!node.isObject()) {
                problem("metadata", "must be a mapping");
                return null;
            }
            unknownFields(node, "metadata.", Set.of("name", "namespace", "labels", "annotations"));
            String name = dnsLabel(node, "name", "metadata.name", null);
            String namespace = dnsLabel(node, "namespace", "metadata.namespace", Metadata.DEFAULT_NAMESPACE);
            if ("q".equals(namespace) || "functions".equals(namespace)) {
                problem("metadata.namespace", "'" + namespace + "' is reserved for the runtime's /" + namespace + "/ endpoints");
            }
            return name == null || namespace == null ? null : new Metadata(name, namespace);
        }

        private String dnsLabel(JsonNode node, String key, String field, String fallback) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                if (fallback == null) {
                    problem(field, "is required");
                }
                return fallback;
            }
            String text = value.asText();
            if (!value.isTextual() || text.length() > 63 || !DNS_LABEL.matcher(text).matches()) {
                problem(field, "'" + text + "' is not a valid name: use at most 63 lower-case letters, digits and"
                        + " '-', starting and ending with a letter or digit");
                return null;
            }
            return text;
        }

        private void broker(Metadata metadata, JsonNode spec) {
            unknownFields(spec, "spec.", Set.of("partitions", "replicationFactor", "retention"));
            int partitions = integer(spec, "partitions", Broker.DEFAULT_PARTITIONS, 1, 10_000);
            int replication = integer(spec, "replicationFactor", Broker.DEFAULT_REPLICATION_FACTOR, 1, Short.MAX_VALUE);
            Duration retention = duration(spec, "retention", Broker.DEFAULT_RETENTION);
            if (metadata != null) {
                brokers.add(new Broker(metadata, partitions, (short) replication, retention));
            }
        }

        private void function(Metadata metadata, JsonNode spec) {
            unknownFields(spec, "spec.", Set.of("image", "path", "port", "env", "resources", "concurrency", "scaling"));
            String image = string(spec, "image");
            String path = string(spec, "path");
            if (image == null && path == null) {
                problem("spec.path", "a function needs a path (local mode: a built quarkus-app folder or jar)"
                        + " or an image (Kubernetes)");
            }
            if (path != null) {
                path = baseDir.resolve(path).normalize().toString();
            }
            int port = integer(spec, "port", Function.DEFAULT_PORT, 1, 65_535);
            int concurrency = integer(spec, "concurrency", Function.DEFAULT_CONCURRENCY, 1, 100_000);
            Map<String, String> env = stringMap(spec, "env");
            ScalingPolicy scaling = scaling(spec.get("scaling"));
            if (metadata != null) {
                functions.add(new Function(metadata, image, path, port, env, concurrency, scaling));
            }
        }

        private ScalingPolicy scaling(JsonNode node) {
            ScalingPolicy d = ScalingPolicy.DEFAULT;
            if (node == null || node.isNull()) {
                return d;
            }
            if (!node.isObject()) {
                problem("spec.scaling", "must be a mapping");
                return d;
            }
            String at = "spec.scaling.";
            unknownFields(node, at, Set.of("minReplicas", "maxReplicas", "lagThreshold", "activationLagThreshold",
                    "cooldownPeriod", "pollingInterval", "stabilizationWindow"));
            int min = integer(node, "minReplicas", at, d.minReplicas(), 0, 1000);
            int max = integer(node, "maxReplicas", at, Math.max(d.maxReplicas(), min), 1, 1000);
            if (max < min) {
                problem(at + "maxReplicas", "must not be below minReplicas (" + min + ")");
            }
            int lagThreshold = integer(node, "lagThreshold", at, (int) d.lagThreshold(), 1, Integer.MAX_VALUE);
            int activation = integer(node, "activationLagThreshold", at, (int) d.activationLagThreshold(), 0,
                    Integer.MAX_VALUE);
            Duration cooldown = duration(node, "cooldownPeriod", at, d.cooldownPeriod());
            Duration polling = duration(node, "pollingInterval", at, d.pollingInterval());
            Duration stabilization = d.stabilizationWindow();
            JsonNode window = node.get("stabilizationWindow");
            if (window != null && "PT0S".equals(window.asText())) {
                stabilization = Duration.ZERO; // no stabilization: allowed, unlike the other durations
            } else {
                stabilization = duration(node, "stabilizationWindow", at, d.stabilizationWindow());
            }
            return new ScalingPolicy(min, Math.max(max, 1), lagThreshold, activation, cooldown, polling, stabilization);
        }

        private void trigger(Metadata metadata, JsonNode spec) {
            unknownFields(spec, "spec.", Set.of("broker", "filter", "filters", "function", "uri", "delivery"));
            String broker = string(spec, "broker");
            if (broker == null) {
                problem("spec.broker", "is required: the name of the broker whose events this trigger routes");
            }
            TriggerFilter filter = TriggerFilter.ALL;
            JsonNode legacy = spec.get("filter");
            if (legacy != null && !legacy.isNull()) {
                if (!legacy.isObject()) {
                    problem("spec.filter", "must be a mapping with 'attributes'");
                } else {
                    unknownFields(legacy, "spec.filter.", Set.of("attributes"));
                    filter = TriggerFilters.attributes(stringMap(legacy, "attributes", "spec.filter.attributes"));
                }
            }
            try {
                filter = filter.and(TriggerFilters.allOf(spec.get("filters"), "spec.filters"));
            } catch (FilterException e) {
                problem(e.field(), e.getMessage());
            }
            String function = string(spec, "function");
            String uriText = string(spec, "uri");
            if ((function == null) == (uriText == null)) {
                problem("spec.function", "give exactly one target: 'function' (a Function's name) or 'uri'");
            }
            URI uri = uriText == null ? null : httpUrl(uriText, "spec.uri");
            DeliverySpec delivery = delivery(spec.get("delivery"));
            if (metadata != null) {
                Trigger trigger = new Trigger(metadata, broker, filter, function, uri, delivery);
                triggers.add(trigger);
                triggerDocuments.put(trigger, document);
            }
        }

        private URI httpUrl(String text, String field) {
            try {
                URI uri = new URI(text);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    problem(field, "'" + text + "' must be an absolute http or https URL");
                }
                return uri;
            } catch (URISyntaxException e) {
                problem(field, "'" + text + "' is not a URL: " + e.getReason());
                return null;
            }
        }

        private DeliverySpec delivery(JsonNode node) {
            DeliverySpec d = DeliverySpec.DEFAULT;
            if (node == null || node.isNull()) {
                return d;
            }
            if (!node.isObject()) {
                problem("spec.delivery", "must be a mapping");
                return d;
            }
            String at = "spec.delivery.";
            unknownFields(node, at, Set.of("retry", "backoffPolicy", "backoffDelay", "backoffCap", "timeout",
                    "deadLetterSink", "ordering", "maxInFlight"));
            int retry = integer(node, "retry", at, d.retry(), 0, 1000);
            BackoffPolicy policy = choice(node, "backoffPolicy", at, BackoffPolicy.class, d.backoffPolicy());
            Duration delay = duration(node, "backoffDelay", at, d.backoffDelay());
            Duration cap = duration(node, "backoffCap", at, d.backoffCap());
            Duration timeout = duration(node, "timeout", at, d.timeout());
            if (cap.compareTo(delay) < 0) {
                problem(at + "backoffCap", "must not be shorter than backoffDelay (" + delay + ")");
            }
            Ordering ordering = choice(node, "ordering", at, Ordering.class, d.ordering());
            int maxInFlight = integer(node, "maxInFlight", at, d.maxInFlight(), 1, 10_000);
            return new DeliverySpec(retry, policy, delay, cap, timeout, deadLetterSink(node.get("deadLetterSink")),
                    ordering, maxInFlight);
        }

        private DeadLetterSink deadLetterSink(JsonNode node) {
            String field = "spec.delivery.deadLetterSink";
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject() || node.size() != 1) {
                problem(field, "must have exactly one of topic, uri, function");
                return null;
            }
            unknownFields(node, field + ".", Set.of("topic", "uri", "function"));
            String kind = node.fieldNames().next();
            JsonNode value = node.get(kind);
            if (!value.isTextual() || value.asText().isBlank()) {
                problem(field + "." + kind, "must be a non-empty string");
                return null;
            }
            String text = value.asText();
            switch (kind) {
                case "topic" -> {
                    if (!KAFKA_TOPIC.matcher(text).matches() || text.equals(".") || text.equals("..")) {
                        problem(field + ".topic", "'" + text + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-')");
                        return null;
                    }
                    return new DeadLetterSink.Topic(text);
                }
                case "uri" -> {
                    URI uri = httpUrl(text, field + ".uri");
                    return uri == null ? null : new DeadLetterSink.Uri(uri);
                }
                case "function" -> {
                    return new DeadLetterSink.Function(text);
                }
                default -> {
                    return null; // reported as an unknown field
                }
            }
        }

        private <E extends Enum<E>> E choice(JsonNode node, String key, String prefix, Class<E> type, E fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v.asText())) {
                    return e;
                }
            }
            problem(prefix + key, "'" + v.asText() + "' is not one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).toList());
            return fallback;
        }

        private void checkReferences() {
            for (Map.Entry<Trigger, Integer> e : triggerDocuments.entrySet()) {
                Trigger t = e.getKey();
                document = e.getValue();
                resource = "Trigger/" + t.name();
                if (t.broker() != null && brokers.stream()
                        .noneMatch(b -> b.namespace().equals(t.namespace()) && b.name().equals(t.broker()))) {
                    problem("spec.broker", "no Broker named '" + t.broker() + "' in namespace '" + t.namespace() + "'");
                }
                if (t.function() != null && !hasFunction(t.namespace(), t.function())) {
                    problem("spec.function", "no Function named '" + t.function() + "' in namespace '"
                            + t.namespace() + "'");
                }
                if (t.delivery().deadLetterSink() instanceof DeadLetterSink.Function f
                        && !hasFunction(t.namespace(), f.name())) {
                    problem("spec.delivery.deadLetterSink.function", "no Function named '" + f.name()
                            + "' in namespace '" + t.namespace() + "'");
                }
            }
        }

        private boolean hasFunction(String namespace, String name) {
            return functions.stream().anyMatch(f -> f.namespace().equals(namespace) && f.name().equals(name));
        }

        private String string(JsonNode spec, String key) {
            JsonNode v = spec.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                problem("spec." + key, "must be a non-empty string");
                return null;
            }
            return v.asText();
        }

        private int integer(JsonNode spec, String key, int fallback, int min, int max) {
            return integer(spec, key, "spec.", fallback, min, max);
        }

        private int integer(JsonNode spec, String key, String prefix, int fallback, int min, int max) {
            JsonNode v = spec.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
                problem(prefix + key, "must be a whole number from " + min + " to " + max + ", not '" + v.asText() + "'");
                return fallback;
            }
            return v.asInt();
        }

        private Duration duration(JsonNode spec, String key, Duration fallback) {
            return duration(spec, key, "spec.", fallback);
        }

        private Duration duration(JsonNode spec, String key, String prefix, Duration fallback) {
            JsonNode v = spec.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            try {
                Duration d = Duration.parse(v.asText());
                if (d.isNegative() || d.isZero()) {
                    problem(prefix + key, "must be a positive duration");
                    return fallback;
                }
                return d;
            } catch (DateTimeParseException e) {
                problem(prefix + key, "'" + v.asText() + "' is not an ISO-8601 duration such as PT30S, PT1H or P7D");
                return fallback;
            }
        }

        private Map<String, String> stringMap(JsonNode spec, String key) {
            return stringMap(spec, key, "spec." + key);
        }

        private Map<String, String> stringMap(JsonNode parent, String key, String field) {
            JsonNode v = parent.get(key);
            if (v == null || v.isNull()) {
                return Map.of();
            }
            if (!v.isObject()) {
                problem(field, "must be a mapping of names to values");
                return Map.of();
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    problem(field + "." + e.getKey(), "must be a plain value");
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
            return out;
        }

        private void unknownFields(JsonNode node, String prefix, Set<String> known) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!known.contains(name)) {
                    problem(prefix + name, "unknown field; known fields here: " + String.join(", ", new java.util.TreeSet<>(known)));
                }
            }
        }

        private void problem(String field, String message) {
            problems.add(new Problem(source, document, resource, field, message));
        }
    }
}
