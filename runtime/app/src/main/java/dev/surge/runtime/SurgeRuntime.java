package dev.surge.runtime;

import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Broker;
import dev.surge.core.resource.InvalidResourcesException;
import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import dev.surge.runtime.dispatch.EventSender;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import dev.surge.runtime.dispatch.TriggerDispatcher;
import dev.surge.runtime.dispatch.VertxEventSender;
import dev.surge.runtime.ingress.BrokerView;
import dev.surge.runtime.kafka.KafkaCluster;
import dev.surge.runtime.local.FunctionSupervisor;
import dev.surge.runtime.local.LagReader;
import dev.surge.runtime.local.LocalScaler;
import java.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires one Surge process: reads the resources, opens Kafka (starting the embedded broker in local mode),
 * creates the brokers' topics, starts the functions' processes and one dispatcher per trigger. Stops them
 * in reverse order.
 */
@ApplicationScoped
public class SurgeRuntime implements BrokerView {
    private static final Logger LOG = Logger.getLogger(SurgeRuntime.class);

    @Inject
    SurgeConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    Optional<String> kafkaBootstrapServers;
    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;

    private volatile ResourceSet resources;
    private volatile KafkaCluster kafka;
    private volatile FunctionSupervisor functions;
    private volatile LocalScaler scaler;
    private volatile boolean started;
    private EventSender sender;
    private final List<TriggerDispatcher> dispatchers = new ArrayList<>();

    void onStart(@Observes StartupEvent event) throws Exception {
        try {
            resources = ResourceLoader.load(config.configFile());
        } catch (InvalidResourcesException e) {
            throw new IllegalStateException("invalid resources:\n" + e.getMessage());
        }
        kafka = KafkaCluster.open(config, config.kafka().bootstrapServers().or(() -> kafkaBootstrapServers));
        kafka.ensureTopics(resources.brokers());
        kafka.ensureDeadLetterTopics(resources);
        Path dataDir = config.dataDir().toAbsolutePath();
        functions = new FunctionSupervisor(config.functions().java().orElse(currentJava()), dataDir.resolve("functions"),
                config.functions().startTimeout());
        functions.register(resources.functions());
        if (config.functions().enabled()) {
            scaler = new LocalScaler(resources, functions, new LagReader(kafka.admin()), Clock.systemUTC(), registry);
        }
        sender = new VertxEventSender(vertx);
        FunctionEndpoints endpoints = functions;
        for (Trigger trigger : resources.triggers()) {
            TriggerDispatcher d = new TriggerDispatcher(trigger, kafka.bootstrapServers(), kafka.producer(), sender,
                    endpoints, registry, vertx);
            dispatchers.add(d);
            d.start();
        }
        if (scaler != null) {
            scaler.start();
        }
        started = true;
        System.out.println(summary());
    }

    void onStop(@Observes ShutdownEvent event) {
        started = false;
        if (scaler != null) {
            scaler.close();
        }
        dispatchers.parallelStream().forEach(TriggerDispatcher::close);
        dispatchers.clear();
        if (functions != null) {
            functions.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        LOG.info("Surge stopped");
    }

    /** What is where: printed once everything runs, so a user knows what to call. */
    String summary() {
        StringBuilder s = new StringBuilder("\nSurge is running");
        s.append(kafka.embedded().isPresent() ? " in local mode" : "").append('\n');
        s.append("  resources : ").append(config.configFile().toAbsolutePath()).append('\n');
        s.append("  kafka     : ").append(kafka.bootstrapServers());
        kafka.embedded().ifPresent(k -> s.append("  (embedded, data in ").append(k.dataDir()).append(')'));
        s.append('\n');
        for (Broker b : resources.brokers()) {
            s.append("  broker    : http://localhost:").append(httpPort).append('/').append(b.namespace()).append('/')
                    .append(b.name()).append("  → topic ").append(KafkaNames.brokerTopic(b.namespace(), b.name()))
                    .append('\n');
        }
        for (FunctionSupervisor.FunctionStatus f : functions.status()) {
            var scaling = f.function().scaling();
            s.append("  function  : ").append(f.function().namespace()).append('/').append(f.function().name())
                    .append("  ").append(scaling.minReplicas()).append("..").append(scaling.maxReplicas())
                    .append(" replicas on lag (now ").append(f.replicas()).append(")  http://localhost:").append(httpPort)
                    .append("/functions/").append(f.function().namespace()).append('/').append(f.function().name())
                    .append("  log ").append(f.logFile()).append('\n');
        }
        for (Trigger t : resources.triggers()) {
            s.append("  trigger   : ").append(t.namespace()).append('/').append(t.name()).append("  ")
                    .append(t.broker()).append(" → ").append(t.function() != null ? "function " + t.function() : t.uri())
                    .append("  (group ").append(KafkaNames.triggerGroup(t.namespace(), t.name())).append(")\n");
        }
        s.append("  health    : http://localhost:").append(httpPort).append("/q/health/ready   metrics: http://localhost:")
                .append(httpPort).append("/q/metrics\n");
        resources.brokers().stream().findFirst().ifPresent(b -> s.append("\nTry it:\n  curl -i http://localhost:")
                .append(httpPort).append('/').append(b.namespace()).append('/').append(b.name())
                .append(" -H 'ce-specversion: 1.0' -H 'ce-id: 1' -H 'ce-source: /cli' -H 'ce-type: dev.surge.greet'")
                .append(" -H 'content-type: application/json' -d '{\"name\":\"Ada\"}'\n"));
        s.append("Stop with Ctrl-C.\n");
        return s.toString();
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public ResourceSet resources() {
        return resources;
    }

    @Override
    public Optional<Broker> broker(String namespace, String name) {
        ResourceSet current = resources;
        return current == null ? Optional.empty() : current.broker(namespace, name);
    }

    @Override
    public KafkaCluster kafka() {
        return kafka;
    }

    public FunctionSupervisor functions() {
        return functions;
    }

    /** Local mode's scaler; null when functions are not run by this process. */
    public LocalScaler scaler() {
        return scaler;
    }

    /** Started and Kafka answers: the condition of readiness. */
    public boolean isReady() {
        return started && kafka != null && kafka.isReachable();
    }
}
