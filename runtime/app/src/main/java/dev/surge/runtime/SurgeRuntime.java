package dev.surge.runtime;

import dev.surge.runtime.config.SurgeConfig;
import dev.surge.runtime.config.Role;
import dev.surge.runtime.auth.PolicySource;
import dev.surge.runtime.auth.TokenSecrets;

import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Broker;
import dev.surge.core.resource.InvalidResourcesException;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import dev.surge.runtime.dispatch.Dispatchers;
import dev.surge.runtime.dispatch.EventSender;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import dev.surge.runtime.dispatch.TriggerDispatcher;
import dev.surge.runtime.dispatch.VertxEventSender;
import dev.surge.runtime.ingress.BrokerView;
import dev.surge.runtime.ingress.EventLimits;
import dev.surge.runtime.ingress.EventParser;
import dev.surge.runtime.kafka.KafkaCluster;
import dev.surge.runtime.local.FunctionSupervisor;
import dev.surge.backlog.KafkaBacklogReader;
import dev.surge.runtime.local.LocalFunctions;
import dev.surge.runtime.local.LocalScaler;
import dev.surge.runtime.resources.Reconciler;
import dev.surge.runtime.resources.ResourceFile;
import dev.surge.runtime.resources.ResourceSource;
import java.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires one Surge process for its roles: opens Kafka (starting the embedded broker in local mode), and hands
 * the resource source to a {@link Reconciler} that creates topics, runs the functions' processes and their
 * scaler (scaler role) and one dispatcher per trigger (dispatcher role), and applies every change of the
 * resources while Surge runs. Stops them in reverse order.
 */
@ApplicationScoped
public class SurgeRuntime implements Dispatchers, LocalFunctions, BrokerView, PolicySource {
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
    @ConfigProperty(name = "quarkus.http.ssl-port")
    int httpsPort;
    @ConfigProperty(name = "quarkus.http.insecure-requests", defaultValue = "enabled")
    String insecureRequests;
    @ConfigProperty(name = "quarkus.log.console.json.enabled", defaultValue = "false")
    boolean jsonLogs;

    private volatile ResourceSource source;
    private volatile dev.surge.runtime.kubernetes.KubernetesMode kubernetes;
    private volatile KafkaCluster kafka;
    private volatile FunctionSupervisor functions;
    private volatile LocalScaler scaler;
    private volatile Reconciler reconciler;
    private volatile boolean started;
    private Set<Role> roles;
    private EventSender sender;
    private final Map<String, TriggerDispatcher> dispatchers = new ConcurrentHashMap<>();

    void onStart(@Observes StartupEvent event) throws Exception {
        roles = config.roles();
        Optional<String> bootstrapServers = config.kafka().bootstrapServers().or(() -> kafkaBootstrapServers);
        if (config.resources() == SurgeConfig.ResourceMode.KUBERNETES) {
            roles = kubernetesRoles(roles);
            if (bootstrapServers.isEmpty()) {
                throw new IllegalStateException("surge.resources=kubernetes needs surge.kafka.bootstrap-servers (or"
                        + " --kafka-bootstrap-servers): there is no embedded Kafka on Kubernetes");
            }
            kubernetes = dev.surge.runtime.kubernetes.KubernetesMode.start(config.kubernetes(), roles);
            source = kubernetes.resources();
        } else {
            try {
                source = ResourceFile.open(config.configFile());
            } catch (InvalidResourcesException e) {
                throw new IllegalStateException("invalid resources:\n" + e.getMessage());
            }
        }
        kafka = KafkaCluster.open(config, bootstrapServers);
        Reconciler.Functions functionsPort = null;
        if (roles.contains(Role.SCALER) && config.functions().enabled()) {
            Path dataDir = config.dataDir().toAbsolutePath();
            functions = new FunctionSupervisor(config.functions().java().orElse(currentJava()),
                    dataDir.resolve("functions"), config.functions().startTimeout());
            scaler = new LocalScaler(functions, new KafkaBacklogReader(kafka.admin()), Clock.systemUTC(), registry);
            functionsPort = set -> {
                functions.apply(set.functions());
                scaler.apply(set);
            };
        }
        Reconciler.Triggers triggersPort = null;
        if (roles.contains(Role.DISPATCHER)) {
            String instanceId = config.instanceId().orElseGet(SurgeRuntime::hostName);
            sender = new VertxEventSender(vertx, new EventParser(EventLimits.of(config.ingress())));
            FunctionEndpoints endpoints = kubernetes != null ? kubernetes.endpoints()
                    : functions != null ? functions : FunctionEndpoints.NONE;
            triggersPort = trigger -> {
                TriggerDispatcher d = new TriggerDispatcher(trigger, instanceId, kafka.clients().with(Map.of()),
                        kafka.producer(), sender, endpoints, registry, vertx);
                String key = trigger.namespace() + "/" + trigger.name();
                d.start();
                dispatchers.put(key, d);
                return () -> {
                    d.close();
                    dispatchers.remove(key, d);
                };
            };
        }
        reconciler = new Reconciler(source, kafka::ensureTopics, triggersPort, functionsPort);
        reconciler.applyNow();
        if (scaler != null) {
            scaler.start();
        }
        reconciler.watch(config.watchInterval().toMillis());
        started = true;
        if (jsonLogs) {
            // A log collector reads one JSON object per line: the summary goes as one record, not as text.
            LOG.info(summary().strip());
        } else {
            System.out.println(summary());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        started = false;
        if (scaler != null) {
            scaler.close();
        }
        if (reconciler != null) {
            reconciler.close();
        }
        if (functions != null) {
            functions.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (kubernetes != null) {
            kubernetes.close();
        }
        LOG.info("Surge stopped");
    }

    /** What is where: printed once everything runs, so a user knows what to call. */
    /** Where this machine reaches the HTTP server: HTTPS alone when a certificate is given (surge up --tls-cert). */
    private String baseUrl() {
        return "disabled".equals(insecureRequests) ? "https://localhost:" + httpsPort : "http://localhost:" + httpPort;
    }

    String summary() {
        ResourceSet resources = resources();
        StringBuilder s = new StringBuilder("\nSurge is running");
        s.append(kafka.embedded().isPresent() ? " in local mode" : "").append('\n');
        s.append("  roles     : ").append(roles.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT))
                .sorted().collect(java.util.stream.Collectors.joining(", "))).append('\n');
        s.append("  resources : ").append(source.describe()).append(config.watchInterval().isZero() ? ""
                : "  (watched: edits apply while Surge runs)").append('\n');
        s.append("  kafka     : ").append(kafka.bootstrapServers());
        kafka.embedded().ifPresent(k -> s.append("  (embedded, data in ").append(k.dataDir()).append(')'));
        s.append('\n');
        for (Broker b : resources.brokers()) {
            s.append("  broker    : ").append(baseUrl()).append('/').append(b.namespace()).append('/')
                    .append(b.name()).append("  → topic ").append(KafkaNames.brokerTopic(b.namespace(), b.name()))
                    .append('\n');
        }
        for (FunctionSupervisor.FunctionStatus f : functions == null ? List.<FunctionSupervisor.FunctionStatus>of()
                : functions.status()) {
            var scaling = f.function().scaling();
            s.append("  function  : ").append(f.function().namespace()).append('/').append(f.function().name())
                    .append("  ").append(scaling.minReplicas()).append("..").append(scaling.maxReplicas())
                    .append(" replicas on lag (now ").append(f.replicas()).append(")  ").append(baseUrl())
                    .append("/functions/").append(f.function().namespace()).append('/').append(f.function().name())
                    .append("  log ").append(f.logFile()).append('\n');
        }
        for (Trigger t : resources.triggers()) {
            s.append("  trigger   : ").append(t.namespace()).append('/').append(t.name()).append("  ")
                    .append(t.broker()).append(" → ").append(t.function() != null ? "function " + t.function() : t.uri())
                    .append("  (group ").append(KafkaNames.triggerGroup(t.namespace(), t.name())).append(")\n");
        }
        s.append("  health    : ").append(baseUrl()).append("/q/health/ready   metrics: ").append(baseUrl())
                .append("/q/metrics\n");
        s.append(tryIt(resources, baseUrl()));
        s.append("Stop with Ctrl-C.\n");
        return s.toString();
    }

    /**
     * The "Try it" lines: a curl of an event a running trigger takes (its type read from the trigger's filters and
     * checked against them), or, when no trigger's filter can be met by such a simple event, what to do instead.
     */
    static String tryIt(ResourceSet resources, String baseUrl) {
        if (resources.brokers().isEmpty()) {
            return "";
        }
        Optional<SampleEvent> sample = SampleEvent.of(resources);
        if (sample.isPresent()) {
            return "\nTry it (" + sample.get().takenBy() + "):\n  " + sample.get().curl(baseUrl) + "\n";
        }
        Broker b = resources.brokers().get(0);
        return "\nTry it: post an event to " + baseUrl + "/" + b.namespace() + "/" + b.name()
                + (resources.triggers().isEmpty() ? " (no trigger yet: it is stored, nothing receives it)"
                        : " with the attributes the triggers' filters ask for (no simple event of a type and a source"
                                + " meets any of them)")
                + ", e.g. ./surge send --broker " + b.namespace() + "/" + b.name() + " --type TYPE\n";
    }

    /** On Kubernetes the operator scales Functions: the scaler role (local mode's processes) is not run there. */
    private static Set<Role> kubernetesRoles(Set<Role> configured) {
        Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        roles.addAll(configured);
        if (roles.remove(Role.SCALER)) {
            LOG.info("surge.resources=kubernetes: the scaler role is the operator's there; this process runs "
                    + roles.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList());
        }
        return roles;
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The resources that run now (the reconciler's view; changes while Surge runs). */
    public ResourceSet resources() {
        Reconciler r = reconciler;
        return r == null ? ResourceSet.EMPTY : r.running();
    }

    /** The roles this process runs. */
    public Set<Role> roles() {
        return roles;
    }

    /** The dispatchers of the triggers that run now. */
    @Override
    public List<TriggerDispatcher> all() {
        return List.copyOf(dispatchers.values());
    }

    @Override
    public Optional<Broker> broker(String namespace, String name) {
        return resources().broker(namespace, name);
    }

    @Override
    public List<Broker> brokers() {
        return resources().brokers();
    }

    @Override
    public Optional<TokenSecrets> tokenSecrets() {
        var k = kubernetes;
        return k == null ? Optional.empty() : Optional.of(k.tokenSecrets());
    }

    @Override
    public KafkaCluster kafka() {
        return kafka;
    }

    /** Local mode's function processes; null when this process does not run them (see {@link #supervisor()}). */
    public FunctionSupervisor functions() {
        return functions;
    }

    @Override
    public Optional<FunctionSupervisor> supervisor() {
        return Optional.ofNullable(functions);
    }

    @Override
    public Optional<LocalScaler> scaler() {
        return Optional.ofNullable(scaler);
    }

    /** Started and Kafka answers: the condition of the ingress's readiness. */
    public boolean isReady() {
        return started && kafka != null && kafka.isReachable();
    }

    /** Everything of this process's roles was started. */
    public boolean isStarted() {
        return started;
    }

    /** The host's name: the pod's name on Kubernetes, where HOSTNAME is set to it. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
