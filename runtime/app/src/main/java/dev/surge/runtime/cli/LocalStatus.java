package dev.surge.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status of a running Surge, from its own endpoints: {@code GET /brokers}, {@code GET /triggers} and
 * {@code GET /functions} (404 there: the process runs no functions, e.g. a dispatcher alone).
 */
final class LocalStatus {
    private LocalStatus() {
    }

    static StatusReport read(RuntimeEndpoint endpoint) {
        JsonNode brokers = endpoint.json("/brokers");
        JsonNode triggers = endpoint.json("/triggers");
        RuntimeEndpoint.Answer answer = endpoint.get("/functions");
        JsonNode functions = answer.status() == 404 ? JsonNodeFactory.instance.arrayNode()
                : endpoint.json("/functions", answer);
        return of(endpoint.base().toString(), brokers, triggers, functions);
    }

    /** The report of the three endpoints' answers; pure. */
    static StatusReport of(String base, JsonNode brokers, JsonNode triggers, JsonNode functions) {
        List<StatusReport.BrokerRow> b = new ArrayList<>();
        for (JsonNode n : brokers) {
            boolean accepts = n.path("acceptsEvents").asBoolean(true);
            b.add(new StatusReport.BrokerRow(text(n, "namespace"), text(n, "name"), text(n, "topic"),
                    base + text(n, "path"), accepts ? "True" : "False",
                    accepts ? null : "this process does not run the ingress role"));
        }
        List<StatusReport.FunctionRow> f = new ArrayList<>();
        for (JsonNode n : functions) {
            JsonNode d = n.path("lastDecision");
            String message = n.path("stopped").asBoolean(false)
                    ? "stopped" + (n.hasNonNull("failure") ? ": " + n.get("failure").asText() : "") : null;
            f.add(new StatusReport.FunctionRow(text(n, "namespace"), text(n, "name"), integer(n, "replicas"),
                    integer(n, "readyReplicas"), number(n, "backlog"), integer(d, "replicas"), text(d, "at"),
                    text(d, "reason"), message));
        }
        return new StatusReport(base, b, triggers(triggers), f);
    }

    /** The rows of a runtime's {@code GET /triggers} answer (also a dispatcher pod's on a cluster); pure. */
    static List<StatusReport.TriggerRow> triggers(JsonNode triggers) {
        List<StatusReport.TriggerRow> t = new ArrayList<>();
        for (JsonNode n : triggers) {
            Map<String, Long> dead = null;
            if (n.has("deadLettered")) {
                dead = new TreeMap<>();
                for (var e : n.get("deadLettered").properties()) {
                    dead.put(e.getKey(), e.getValue().asLong());
                }
            }
            t.add(new StatusReport.TriggerRow(text(n, "namespace"), text(n, "name"), text(n, "broker"),
                    text(n, "target"), text(n, "state"), number(n, "matchedBacklog"), integer(n, "inFlight"),
                    number(n, "delivered"), dead, integer(n, "restarts"), text(n, "lastError")));
        }
        return t;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? null : v.asLong();
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? null : v.asInt();
    }
}
