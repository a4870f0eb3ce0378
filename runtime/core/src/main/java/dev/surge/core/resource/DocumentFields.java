package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Typed reading of the fields of one YAML document. A wrong field becomes a {@link Problem} that names the file,
 * the document, the resource and the field's dotted path, and the read goes on with a fallback, so that one
 * pass reports every problem of a file. Field paths are {@code prefix + key}, e.g. {@code spec.delivery.} +
 * {@code retry}.
 */
final class DocumentFields {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final String source;
    private final int document;
    private final String resource;
    private final List<Problem> problems;

    /**
     * @param document 1-based index of the document in the file
     * @param resource {@code Kind/name} as far as known, or null
     * @param problems where problems are added
     */
    DocumentFields(String source, int document, String resource, List<Problem> problems) {
        this.source = source;
        this.document = document;
        this.resource = resource;
        this.problems = problems;
    }

    void problem(String field, String message) {
        problems.add(new Problem(source, document, resource, field, message));
    }

    /** How many problems were reported so far, to tell whether a read added one. */
    int problemCount() {
        return problems.size();
    }

    /** Reports every field of {@code node} not in {@code known}. */
    void unknownFields(JsonNode node, String prefix, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!known.contains(name)) {
                problem(prefix + name, "unknown field; known fields here: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** @return a non-blank string, or null when absent or wrong */
    String string(JsonNode node, String prefix, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problem(prefix + key, "must be a non-empty string");
            return null;
        }
        return v.asText();
    }

    /** @return a DNS label (a Kubernetes name), {@code fallback} when absent (null: required), null when wrong */
    String dnsLabel(JsonNode node, String prefix, String key, String fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                problem(prefix + key, "is required");
            }
            return fallback;
        }
        String text = value.asText();
        if (!value.isTextual() || text.length() > 63 || !DNS_LABEL.matcher(text).matches()) {
            problem(prefix + key, "'" + text + "' is not a valid name: use at most 63 lower-case letters, digits and"
                    + " '-', starting and ending with a letter or digit");
            return null;
        }
        return text;
    }

    /**
     * As {@link #dnsLabel} (required), and starting with a letter: a DNS-1035 label, as Kubernetes asks of a
     * Service's name.
     *
     * @param why what takes this name, for the message (e.g. "its Kubernetes Service")
     */
    String dns1035Label(JsonNode node, String prefix, String key, String why) {
        String name = dnsLabel(node, prefix, key, null);
        if (name != null && !Character.isLetter(name.charAt(0))) {
            problem(prefix + key, "'" + name + "' must start with a letter, as " + why + " takes this name (a"
                    + " DNS-1035 label); rename it, e.g. to 'fn-" + name + "'");
            return null;
        }
        return name;
    }

    int integer(JsonNode node, String prefix, String key, int fallback, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            problem(prefix + key, "must be a whole number from " + min + " to " + max + ", not '" + v.asText() + "'");
            return fallback;
        }
        return v.asInt();
    }

    /** A positive ISO-8601 duration. */
    Duration duration(JsonNode node, String prefix, String key, Duration fallback) {
        JsonNode v = node.get(key);
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

    /** One of an enum's constants, written in any case. */
    <E extends Enum<E>> E choice(JsonNode node, String prefix, String key, Class<E> type, E fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.asText())) {
                return e;
            }
        }
        problem(prefix + key, "'" + v.asText() + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
        return fallback;
    }

    /** A mapping of names to plain values, in the order written; empty when absent. */
    Map<String, String> stringMap(JsonNode parent, String key, String field) {
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
        return Collections.unmodifiableMap(out);
    }

    /** @return the URL; null only when it does not parse (a parsed non-http URL is reported and returned) */
    URI httpUrl(String text, String field) {
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
}
