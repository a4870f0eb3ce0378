package dev.surge.runtime.ingress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Broker;
import dev.surge.runtime.config.Role;
import dev.surge.runtime.config.SurgeConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Comparator;

/**
 * {@code GET /brokers}: the brokers that run now, sorted by namespace and name, each with its ingress path, its
 * Kafka topic and its spec, whether this process accepts events for it (it runs the ingress role), and the mode of
 * its policy of who may post. Served by every role, since each knows the brokers; {@code surge status} reads it.
 * Guarded by the admin policy ({@code dev.surge.runtime.auth.AdminRoutes}).
 */
@ApplicationScoped
public class BrokerRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BrokerView brokers;
    @Inject
    SurgeConfig config;

    void routes(@Observes Router router) {
        router.get("/brokers").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        boolean ingress = config.roles().contains(Role.INGRESS);
        ArrayNode all = JSON.createArrayNode();
        brokers.brokers().stream().sorted(Comparator.comparing(Broker::namespace).thenComparing(Broker::name))
                .forEach(b -> all.add(json(b, ingress)));
        ctx.response().putHeader("Content-Type", "application/json").end(all.toPrettyString());
    }

    static ObjectNode json(Broker b, boolean acceptsEvents) {
        ObjectNode o = JSON.createObjectNode();
        o.put("namespace", b.namespace());
        o.put("name", b.name());
        o.put("path", "/" + b.namespace() + "/" + b.name());
        o.put("topic", KafkaNames.brokerTopic(b.namespace(), b.name()));
        o.put("partitions", b.partitions());
        o.put("replicationFactor", b.replicationFactor());
        o.put("retention", b.retention().toString());
        o.put("acceptsEvents", acceptsEvents);
        // Which policy of who may post, never its tokens, keys or rules.
        o.put("auth", b.auth().mode());
        return o;
    }
}
