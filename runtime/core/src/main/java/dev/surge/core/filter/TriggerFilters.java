package dev.surge.core.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.sql.EvaluationRuntime;
import io.cloudevents.sql.Expression;
import io.cloudevents.sql.ParseException;
import io.cloudevents.sql.Parser;
import io.cloudevents.sql.Result;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Compiles the filter dialects of a Trigger into {@link TriggerFilter}s. The dialects are those of
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
        Map<String, String> copy = Map.copyOf(attributes);
        return event -> matchAll(copy, event, String::equals);
    }

    /** A list of filters that must all match, as in {@code spec.filters}. */
    public static TriggerFilter allOf(JsonNode filters, String field) {
        if (filters == null || filters.isNull()) {
            return TriggerFilter.ALL;
        }
        if (!filters.isArray()) {
            throw new FilterException(field, "must be a list of filters");
        }
        List<TriggerFilter> compiled = compileList(filters, field);
        return event -> {
            for (TriggerFilter f : compiled) {
                if (!f.test(event)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Compiles one filter object; {@code field} names it in errors, e.g. {@code spec.filters[0]}. */
    public static TriggerFilter compile(JsonNode filter, String field) {
        if (filter == null || !filter.isObject() || filter.size() != 1) {
            throw new FilterException(field, "a filter must be an object with exactly one of " + sorted(DIALECTS));
        }
        String dialect = filter.fieldNames().next();
        JsonNode body = filter.get(dialect);
        String at = field + "." + dialect;
        return switch (dialect) {
            case "exact" -> pairs(body, at, String::equals);
            case "prefix" -> pairs(body, at, String::startsWith);
            case "suffix" -> pairs(body, at, String::endsWith);
            case "all" -> {
                List<TriggerFilter> all = compileNonEmptyList(body, at);
                yield event -> all.stream().allMatch(f -> f.test(event));
            }
            case "any" -> {
                List<TriggerFilter> any = compileNonEmptyList(body, at);
                yield event -> any.stream().anyMatch(f -> f.test(event));
            }
            case "not" -> {
                TriggerFilter inner = compile(body, at);
                yield event -> !inner.test(event);
            }
            case "cesql" -> cesql(body, at);
            default -> throw new FilterException(field,
                    "unknown filter dialect '" + dialect + "'; use one of " + sorted(DIALECTS));
        };
    }

    private static TriggerFilter pairs(JsonNode body, String field, BiPredicate<String, String> match) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw new FilterException(field, "must map at least one attribute name to a value");
        }
        Map<String, String> expected = new java.util.LinkedHashMap<>();
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
        return event -> matchAll(expected, event, match);
    }

    private static boolean matchAll(Map<String, String> expected, io.cloudevents.CloudEvent event,
            BiPredicate<String, String> match) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String actual = EventAttributes.get(event, e.getKey());
            if (actual == null || !match.test(actual, e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static TriggerFilter cesql(JsonNode body, String field) {
        if (body == null || !body.isTextual() || body.asText().isBlank()) {
            throw new FilterException(field, "must be a CloudEvents SQL expression string");
        }
        Expression expression;
        try {
            expression = Parser.parseDefault(body.asText());
        } catch (ParseException e) {
            throw new FilterException(field, "cannot parse '" + body.asText() + "': " + e.getMessage());
        }
        EvaluationRuntime runtime = EvaluationRuntime.getDefault();
        // CESQL evaluates to a value plus errors (a missing attribute, a bad cast); like Knative we only
        // pass events for which the expression is exactly true and raised no error.
        return event -> {
            Result result = expression.evaluate(runtime, event);
            return !result.isFailed() && Boolean.TRUE.equals(result.value());
        };
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
        return List.copyOf(out);
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", new java.util.TreeSet<>(names));
    }
}
