package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.core.delivery.BackoffPolicy;
import dev.surge.core.delivery.DeadLetterSink;
import dev.surge.core.delivery.DeliverySpec;
import dev.surge.core.delivery.Ordering;
import dev.surge.core.filter.FilterException;
import dev.surge.core.filter.TriggerFilter;
import dev.surge.core.filter.TriggerFilters;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a Trigger's {@code spec}: broker, {@code filter} and {@code filters}, target and {@code delivery}. */
final class TriggerSpecReader implements SpecReader<Trigger> {
    private static final String SPEC = "spec.";
    private static final String DELIVERY = "spec.delivery.";
    private static final String DEAD_LETTER = "spec.delivery.deadLetterSink";
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    @Override
    public Trigger read(Metadata metadata, JsonNode spec, DocumentFields fields) {
        fields.unknownFields(spec, SPEC, Set.of("broker", "filter", "filters", "function", "uri", "delivery"));
        String broker = fields.string(spec, SPEC, "broker");
        if (broker == null) {
            fields.problem("spec.broker", "is required: the name of the broker whose events this trigger routes");
        }
        TriggerFilter filter = filter(spec, fields);
        String function = fields.string(spec, SPEC, "function");
        String uriText = fields.string(spec, SPEC, "uri");
        if ((function == null) == (uriText == null)) {
            fields.problem("spec.function", "give exactly one target: 'function' (a Function's name) or 'uri'");
        }
        URI uri = uriText == null ? null : fields.httpUrl(uriText, "spec.uri");
        DeliverySpec delivery = delivery(spec.get("delivery"), fields);
        return metadata == null ? null : new Trigger(metadata, broker, filter, function, uri, delivery);
    }

    /** The legacy {@code filter.attributes} and the {@code filters} list; an event must pass both. */
    private static TriggerFilter filter(JsonNode spec, DocumentFields fields) {
        TriggerFilter filter = TriggerFilter.ALL;
        JsonNode legacy = spec.get("filter");
        if (legacy != null && !legacy.isNull()) {
            if (!legacy.isObject()) {
                fields.problem("spec.filter", "must be a mapping with 'attributes'");
            } else {
                fields.unknownFields(legacy, "spec.filter.", Set.of("attributes"));
                filter = TriggerFilters.attributes(fields.stringMap(legacy, "attributes", "spec.filter.attributes"));
            }
        }
        try {
            return filter.and(TriggerFilters.allOf(spec.get("filters"), "spec.filters"));
        } catch (FilterException e) {
            fields.problem(e.field(), e.getMessage());
            return filter;
        }
    }

    private static DeliverySpec delivery(JsonNode node, DocumentFields fields) {
        DeliverySpec d = DeliverySpec.DEFAULT;
        if (node == null || node.isNull()) {
            return d;
        }
        if (!node.isObject()) {
            fields.problem("spec.delivery", "must be a mapping");
            return d;
        }
        fields.unknownFields(node, DELIVERY, Set.of("retry", "backoffPolicy", "backoffDelay", "backoffCap", "timeout",
                "deadLetterSink", "ordering", "maxInFlight"));
        int retry = fields.integer(node, DELIVERY, "retry", d.retry(), 0, 1000);
        BackoffPolicy policy = fields.choice(node, DELIVERY, "backoffPolicy", BackoffPolicy.class, d.backoffPolicy());
        Duration delay = fields.duration(node, DELIVERY, "backoffDelay", d.backoffDelay());
        Duration cap = fields.duration(node, DELIVERY, "backoffCap", d.backoffCap());
        Duration timeout = fields.duration(node, DELIVERY, "timeout", d.timeout());
        if (cap.compareTo(delay) < 0) {
            fields.problem(DELIVERY + "backoffCap", "must not be shorter than backoffDelay (" + delay + ")");
        }
        Ordering ordering = fields.choice(node, DELIVERY, "ordering", Ordering.class, d.ordering());
        int maxInFlight = fields.integer(node, DELIVERY, "maxInFlight", d.maxInFlight(), 1, 10_000);
        return new DeliverySpec(retry, policy, delay, cap, timeout, deadLetterSink(node.get("deadLetterSink"), fields),
                ordering, maxInFlight);
    }

    private static DeadLetterSink deadLetterSink(JsonNode node, DocumentFields fields) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.size() != 1) {
            fields.problem(DEAD_LETTER, "must have exactly one of topic, uri, function");
            return null;
        }
        fields.unknownFields(node, DEAD_LETTER + ".", Set.of("topic", "uri", "function"));
        String kind = node.fieldNames().next();
        JsonNode value = node.get(kind);
        if (!value.isTextual() || value.asText().isBlank()) {
            fields.problem(DEAD_LETTER + "." + kind, "must be a non-empty string");
            return null;
        }
        String text = value.asText();
        return switch (kind) {
            case "topic" -> {
                if (!KAFKA_TOPIC.matcher(text).matches() || text.equals(".") || text.equals("..")) {
                    fields.problem(DEAD_LETTER + ".topic",
                            "'" + text + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-')");
                    yield null;
                }
                yield new DeadLetterSink.Topic(text);
            }
            case "uri" -> {
                URI uri = fields.httpUrl(text, DEAD_LETTER + ".uri");
                yield uri == null ? null : new DeadLetterSink.Uri(uri);
            }
            case "function" -> new DeadLetterSink.Function(text);
            default -> null; // reported as an unknown field
        };
    }
}
