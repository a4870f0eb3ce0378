package dev.surge.core.filter;

import io.cloudevents.CloudEvent;
import io.cloudevents.sql.EvaluationRuntime;
import io.cloudevents.sql.Expression;
import io.cloudevents.sql.ParseException;
import io.cloudevents.sql.Parser;
import io.cloudevents.sql.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a trigger wants an event. A filter is a value: two filters compiled from the same spec are
 * {@link Object#equals equal} (so are the triggers that hold them), and {@link Object#toString()} renders the
 * spec in YAML flow style, e.g. {@code {all: [{exact: {type: a}}, {cesql: "priority > 5"}]}}.
 *
 * <p>{@link #test} is pure and thread-safe: the dispatcher calls it for every event of the broker, from several
 * threads. An event without an attribute that a filter names does not match that filter.
 *
 * <p>Contract for implementations: a filter held by a resource is a value, with {@code equals}, {@code hashCode}
 * and {@code toString} by spec, as the records nested here are (they are what {@link TriggerFilters} compiles).
 * The interface stays functional so that a test can pass a lambda (e.g. one that records what it saw); a lambda
 * is equal only to itself, so never put one in resources that a reconciler compares.
 */
@FunctionalInterface
public interface TriggerFilter {
    /** Passes every event: the filter of a trigger without {@code filter} or {@code filters}. */
    TriggerFilter ALL = new All(List.of());

    boolean test(CloudEvent event);

    /** Both this and {@code other} must pass; {@link #ALL} is left out, so the result stays as small as the spec. */
    default TriggerFilter and(TriggerFilter other) {
        if (ALL.equals(this)) {
            return other;
        }
        if (ALL.equals(other)) {
            return this;
        }
        return new All(List.of(this, other));
    }

    /** {@code exact}: every attribute equals its value. Also the legacy {@code filter.attributes}. */
    record Exact(Map<String, String> attributes) implements TriggerFilter {
        public Exact {
            attributes = ordered(attributes);
        }

        @Override
        public boolean test(CloudEvent event) {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                String actual = EventAttributes.get(event, e.getKey());
                if (actual == null || !actual.equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "{exact: " + render(attributes) + "}";
        }
    }

    /** {@code prefix}: every attribute starts with its value. */
    record Prefix(Map<String, String> attributes) implements TriggerFilter {
        public Prefix {
            attributes = ordered(attributes);
        }

        @Override
        public boolean test(CloudEvent event) {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                String actual = EventAttributes.get(event, e.getKey());
                if (actual == null || !actual.startsWith(e.getValue())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "{prefix: " + render(attributes) + "}";
        }
    }

    /** {@code suffix}: every attribute ends with its value. */
    record Suffix(Map<String, String> attributes) implements TriggerFilter {
        public Suffix {
            attributes = ordered(attributes);
        }

        @Override
        public boolean test(CloudEvent event) {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                String actual = EventAttributes.get(event, e.getKey());
                if (actual == null || !actual.endsWith(e.getValue())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "{suffix: " + render(attributes) + "}";
        }
    }

    /** {@code all} (and a trigger's {@code filters} list): every filter passes; an empty list passes all events. */
    record All(List<TriggerFilter> filters) implements TriggerFilter {
        public All {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean test(CloudEvent event) {
            for (TriggerFilter f : filters) {
                if (!f.test(event)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "{all: " + filters + "}";
        }
    }

    /** {@code any}: at least one filter passes. */
    record Any(List<TriggerFilter> filters) implements TriggerFilter {
        public Any {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean test(CloudEvent event) {
            for (TriggerFilter f : filters) {
                if (f.test(event)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "{any: " + filters + "}";
        }
    }

    /** {@code not}: the inner filter does not pass. */
    record Not(TriggerFilter filter) implements TriggerFilter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }

        @Override
        public boolean test(CloudEvent event) {
            return !filter.test(event);
        }

        @Override
        public String toString() {
            return "{not: " + filter + "}";
        }
    }

    /**
     * {@code cesql}: a CloudEvents SQL expression. Equal by its text alone: the compiled form is derived from it.
     * Like Knative, only an evaluation that is exactly true and raised no error (a missing attribute, a bad
     * cast) passes.
     */
    record Cesql(String expression, Expression compiled) implements TriggerFilter {
        private static final EvaluationRuntime RUNTIME = EvaluationRuntime.getDefault();

        public Cesql {
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(compiled, "compiled");
        }

        /** @throws ParseException when the text is not CloudEvents SQL */
        public static Cesql parse(String expression) {
            return new Cesql(expression, Parser.parseDefault(expression));
        }

        @Override
        public boolean test(CloudEvent event) {
            Result result = compiled.evaluate(RUNTIME, event);
            return !result.isFailed() && Boolean.TRUE.equals(result.value());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cesql c && c.expression.equals(expression);
        }

        @Override
        public int hashCode() {
            return expression.hashCode();
        }

        @Override
        public String toString() {
            return "{cesql: " + quoted(expression) + "}";
        }
    }

    // Keeps the spec's order for toString; Map equality ignores order anyway.
    private static Map<String, String> ordered(Map<String, String> attributes) {
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "attribute name"),
                Objects.requireNonNull(value, () -> "value of attribute " + name)));
        return Collections.unmodifiableMap(copy);
    }

    private static String render(Map<String, String> attributes) {
        List<String> pairs = new ArrayList<>();
        attributes.forEach((name, value) -> pairs.add(name + ": " + quoted(value)));
        return "{" + String.join(", ", pairs) + "}";
    }

    // Quoted as a YAML double-quoted scalar, so any value (spaces, colons, quotes) renders unambiguously.
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
