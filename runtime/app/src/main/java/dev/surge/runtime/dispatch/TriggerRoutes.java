package dev.surge.runtime.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.resource.Trigger;
import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.ProblemResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.Optional;

/**
 * Triggers over HTTP: {@code GET /triggers} and {@code GET /triggers/<namespace>/<trigger>} show each
 * trigger's dispatcher as JSON: state (RUNNING, RESTARTING, STOPPED), restarts and the last error, the
 * partitions it holds, its matched backlog and deliveries in flight, and how many events it delivered and
 * dead-lettered (by sink) since this process started; with its broker and target, so that one answer says what
 * the trigger is and how it does ({@code surge status} reads it).
 */
@ApplicationScoped
public class TriggerRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Dispatchers dispatchers;

    void routes(@Observes Router router) {
        router.get("/triggers").handler(this::list);
        router.get("/triggers/:namespace/:trigger").handler(this::show);
    }

    private void list(RoutingContext ctx) {
        ArrayNode all = JSON.createArrayNode();
        dispatchers.all().stream()
                .sorted(Comparator.comparing((TriggerDispatcher d) -> d.trigger().namespace())
                        .thenComparing(d -> d.trigger().name()))
                .forEach(d -> all.add(json(d.trigger(), d.status())));
        ctx.response().putHeader("Content-Type", "application/json").end(all.toPrettyString());
    }

    private void show(RoutingContext ctx) {
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("trigger");
        Optional<TriggerDispatcher> d = dispatchers.all().stream()
                .filter(t -> t.trigger().namespace().equals(namespace) && t.trigger().name().equals(name)).findFirst();
        if (d.isEmpty()) {
            ProblemResponse.send(ctx.response(), new HttpProblem(404, "Unknown trigger", "no trigger '" + name
                    + "' in namespace '" + namespace + "'"), ctx.normalizedPath());
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json").end(json(d.get().trigger(), d.get().status())
                .toPrettyString());
    }

    static ObjectNode json(Trigger t, TriggerDispatcher.Status s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("namespace", s.namespace());
        o.put("name", s.name());
        o.put("broker", t.broker());
        o.put("target", t.function() != null ? "function " + t.function() : String.valueOf(t.uri()));
        o.put("consumerGroup", s.consumerGroup());
        o.put("state", s.state().name());
        o.put("restarts", s.restarts());
        if (s.lastError() != null) {
            o.put("lastError", s.lastError());
            o.put("lastErrorAt", s.lastErrorAt().toString());
        }
        ArrayNode partitions = o.putArray("assignedPartitions");
        s.assignedPartitions().forEach(partitions::add);
        o.put("matchedBacklog", s.matchedBacklog());
        o.put("inFlight", s.inFlight());
        o.put("delivered", s.delivered());
        ObjectNode deadLettered = o.putObject("deadLettered");
        s.deadLettered().forEach(deadLettered::put);
        return o;
    }
}
