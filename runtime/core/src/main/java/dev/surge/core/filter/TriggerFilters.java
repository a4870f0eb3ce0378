package dev.surge.core.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.sql.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles the filter dialects of a Trigger into {@link TriggerFilter} values. The dialects are those of
 * Knative Eventing's {@code filters} (the CloudEvents Subscriptions API): each filter object has exactly
 * one of {@code exact}, {@code prefix}, {@code suffix} (attribute → value, every pair must match),
 * {@code all}, {@code any} (lists of filters), {@code not} (one filter) and {@code cesql} (a CloudEvents SQL
 * expression). An event without the attribute a filter names does not match it.
 */
public final class TriggerFilters {
    private static final Set<String> DIALECTS = Set.of("exact", "prefix", "suffix", "all", "any", "not", "cesql");

    private TriggerFilters() {
    }

    /** The legacy {@code filter.attributes}: every attribute must equal its value exactly. */
    public static TriggerFilter attributes(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return TriggerFilter.ALL;
        }
        return new TriggerFilter.Exact(attributes);
    }

    /** A list of filters that must all match, as in {@code spec.filters}. */
    public static TriggerFilter allOf(JsonNode filters, String field) {
        if (filters == null || filters.isNull()) {
            return TriggerFilter.ALL;
        }
        if (!filters.isArray()) {
            throw new FilterException(field, "must be a list of filters");
        }
        return new TriggerFilter.All(compileList(filters, field));
    }

    /**
     * Compiles one filter object; {@code field} names it in errors, e.g. {@code spec.filters[0]}.
     *
     * @throws FilterException naming the field below {@code field} that is wrong, and why
     */
    public static TriggerFilter compile(JsonNode filter, String field) {
        if (filter == null || !filter.isObject() || filter.size() != 1) {
            throw new FilterException(field, "a filter must be an object with exactly one of " + sorted(DIALECTS));
        }
        String dialect = filter.fieldNames().next();
        JsonNode body = filter.get(dialect);
        String at = field + "." + dialect;
        return switch (dialect) {
            case "exact" -> new TriggerFilter.Exact(pairs(body, at));
            case "prefix" -> new TriggerFilter.Prefix(pairs(body, at));
            case "suffix" -> new TriggerFilter.Suffix(pairs(body, at));
            case "all" -> new TriggerFilter.All(compileNonEmptyList(body, at));
            case "any" -> new TriggerFilter.Any(compileNonEmptyList(body, at));
            case "not" -> new TriggerFilter.Not(compile(body, at));
            case "cesql" -> cesql(body, at);
            default -> throw new FilterException(field,
                    "unknown filter dialect '" + dialect + "'; use one of " + sorted(DIALECTS));
        };
    }

    private static Map<String, String> pairs(JsonNode body, String field) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw new FilterException(field, "must map at least one attribute name to a value");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new FilterException(field + "." + e.getKey(), "must be a string value");
            }
            String value = e.getValue().asText();
            if (value.isEmpty()) {
                throw new FilterException(field + "." + e.getKey(), "must not be empty");
            }
            expected.put(e.getKey(), value);
        }
        return expected;
    }

    private static TriggerFilter cesql(JsonNode body, String field) {
        if (body == null || !body.isTextual() || body.asText().isBlank()) {
            throw new FilterException(field, "must be a CloudEvents SQL expression string");
        }
        try {
            return TriggerFilter.Cesql.parse(body.asText());
        } catch (ParseException e) {
            throw new FilterException(field, "cannot parse '" + body.asText() + "': " + e.getMessage());
        }
    }

    private static List<TriggerFilter> compileNonEmptyList(JsonNode body, String field) {
        if (body == null || !body.isArray() || body.isEmpty()) {
            throw new FilterException(field, "must be a non-empty list of filters");
        }
        return compileList(body, field);
    }

    private static List<TriggerFilter> compileList(JsonNode list, String field) {
        List<TriggerFilter> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(compile(list.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }
}
