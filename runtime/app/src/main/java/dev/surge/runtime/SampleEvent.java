package dev.surge.runtime;

import dev.surge.core.filter.TriggerFilter;
import dev.surge.core.resource.Broker;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An event that a trigger of the running resources takes, for the "Try it" curl of {@code surge up}'s start-up
 * summary: its attributes are read from the trigger's filters ({@code exact} values, {@code prefix}/{@code suffix}
 * around {@code example}), and the event is then checked with the trigger's own filter, so the hint never names a
 * type no trigger takes. Triggers that deliver to a function come first, in the order of the resources. Pure.
 *
 * @param broker     where to post it
 * @param trigger    the trigger that takes it
 * @param attributes its CloudEvent attributes (specversion, id, source, type, then what the filters ask for)
 */
record SampleEvent(Broker broker, Trigger trigger, Map<String, String> attributes) {
    /** The data of the hint: what the example greeter reads; a trigger routes by attributes, not by data. */
    static final String DATA = "{\"name\":\"Ada\"}";
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");
    private static final Pattern SHELL_SAFE = Pattern.compile("[^']*");

    /** The first trigger, function targets first, for which such an event passes its filter; empty for none. */
    static Optional<SampleEvent> of(ResourceSet resources) {
        List<Trigger> triggers = resources.triggers().stream()
                .sorted(Comparator.comparing((Trigger t) -> t.function() == null)) // stable: the file's order within
                .toList();
        for (Trigger t : triggers) {
            Optional<Broker> broker = resources.broker(t.namespace(), t.broker());
            if (broker.isEmpty()) {
                continue;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("specversion", "1.0");
            attributes.put("id", "1");
            Map<String, String> asked = new LinkedHashMap<>();
            collect(t.filter(), asked);
            attributes.put("source", asked.getOrDefault("source", "/cli"));
            attributes.put("type", asked.getOrDefault("type", "dev.surge.example"));
            asked.forEach(attributes::putIfAbsent);
            Optional<CloudEvent> event = event(attributes);
            if (event.isPresent() && t.filter().test(event.get())) {
                return Optional.of(new SampleEvent(broker.get(), t, attributes));
            }
        }
        return Optional.empty();
    }

    /** The values the filter asks for, the first asked of each attribute; {@code not} and CESQL ask for none. */
    private static void collect(TriggerFilter filter, Map<String, String> into) {
        if (filter instanceof TriggerFilter.Exact e) {
            e.attributes().forEach(into::putIfAbsent);
        } else if (filter instanceof TriggerFilter.Prefix p) {
            p.attributes().forEach((k, v) -> into.merge(k, v + "example", (old, added) -> old.startsWith(v) ? old
                    : v + old));
        } else if (filter instanceof TriggerFilter.Suffix s) {
            s.attributes().forEach((k, v) -> into.merge(k, "example" + v, (old, added) -> old.endsWith(v) ? old
                    : old + v));
        } else if (filter instanceof TriggerFilter.All all) {
            all.filters().forEach(f -> collect(f, into));
        } else if (filter instanceof TriggerFilter.Any any && !any.filters().isEmpty()) {
            collect(any.filters().get(0), into);
        }
    }

    /** The event of these attributes, or empty when one cannot be an attribute's value. */
    private static Optional<CloudEvent> event(Map<String, String> attributes) {
        try {
            CloudEventBuilder b = CloudEventBuilder.v1().withId(attributes.get("id"))
                    .withSource(URI.create(attributes.get("source"))).withType(attributes.get("type"))
                    .withDataContentType("application/json");
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                if (!SHELL_SAFE.matcher(a.getValue()).matches()) {
                    return Optional.empty();
                }
                switch (a.getKey()) {
                    case "specversion", "id", "source", "type" -> {
                    }
                    case "subject" -> b.withSubject(a.getValue());
                    case "dataschema" -> b.withDataSchema(URI.create(a.getValue()));
                    case "datacontenttype", "time" -> {
                        return Optional.empty(); // not worth a hint: the curl sets its own content type, no time
                    }
                    default -> {
                        if (!EXTENSION_NAME.matcher(a.getKey()).matches()) {
                            return Optional.empty();
                        }
                        b.withExtension(a.getKey(), a.getValue());
                    }
                }
            }
            return Optional.of(b.withData(DATA.getBytes(StandardCharsets.UTF_8)).build());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The curl command posting it in binary mode to the ingress at {@code baseUrl}, on one line. */
    String curl(String baseUrl) {
        StringBuilder s = new StringBuilder("curl -i ").append(baseUrl).append('/')
                .append(broker.namespace()).append('/').append(broker.name());
        attributes.forEach((k, v) -> s.append(" -H 'ce-").append(k).append(": ").append(v).append('\''));
        return s.append(" -H 'content-type: application/json' -d '").append(DATA).append('\'').toString();
    }

    /** Which trigger takes it and where it goes, e.g. {@code trigger demo/greet → function greeter}. */
    String takenBy() {
        return "trigger " + trigger.namespace() + "/" + trigger.name() + " → "
                + (trigger.function() != null ? "function " + trigger.function() : String.valueOf(trigger.uri()));
    }
}
