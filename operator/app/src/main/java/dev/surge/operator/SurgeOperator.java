package dev.surge.operator;

import dev.surge.operator.broker.BrokerReconciler;
import dev.surge.operator.broker.BrokerTopics;
import dev.surge.backlog.KafkaBacklogReader;
import dev.surge.operator.function.FunctionReconciler;
import dev.surge.operator.function.MatchingBacklogs;
import dev.surge.operator.function.WorkloadApply;
import dev.surge.operator.status.EventRecorder;
import dev.surge.operator.trigger.TriggerReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

/**
 * The Surge operator: Java Operator SDK running the Function, Broker and Trigger reconcilers on a fabric8 client,
 * with a Kafka Admin client for the Brokers' topics and the Triggers' matching backlog (the scaling input). Plain Java, so tests start it on any client (e.g. one holding a
 * ServiceAccount's token) and the Quarkus app ({@code app.OperatorLifecycle}) starts it with the usual
 * configuration. Closing it stops the reconcilers and the Admin client; the Kubernetes client is the caller's.
 */
public final class SurgeOperator implements AutoCloseable {

    /**
     * @param namespaces    namespaces to watch; empty: all
     * @param leaderElection the Lease that elects one active replica, or empty to act alone (one replica only)
     * @param ingressUrl    base URL of the ingress, for a Broker's {@code status.address}
     * @param kafkaTimeout  longest wait for one Kafka Admin call
     */
    public record Settings(Set<String> namespaces, Optional<Lease> leaderElection, URI ingressUrl,
            Duration kafkaTimeout) {
        public Settings {
            namespaces = Set.copyOf(namespaces);
            Objects.requireNonNull(leaderElection, "leaderElection");
            Objects.requireNonNull(ingressUrl, "ingressUrl");
            Objects.requireNonNull(kafkaTimeout, "kafkaTimeout");
        }
    }

    /**
     * @param name      the Lease's name
     * @param namespace the Lease's namespace; empty: the client's namespace (in a pod: the pod's)
     * @param exitWhenLost end the process when leadership is lost (in a pod: it restarts and runs for election
     *                  again, JOSDK's default); tests that run the operator in their own JVM turn it off
     */
    public record Lease(String name, Optional<String> namespace, boolean exitWhenLost) {
    }

    private final Operator operator;
    private final Admin admin;

    private SurgeOperator(Operator operator, Admin admin) {
        this.operator = operator;
        this.admin = admin;
    }

    /** Starts the reconcilers (when leader, with leader election); informers are synced when this returns. */
    public static SurgeOperator start(KubernetesClient client, Map<String, Object> kafkaAdmin, Settings settings,
            MeterRegistry registry, Clock clock) {
        Admin admin = Admin.create(kafkaAdmin);
        try {
            Operator operator = new Operator(o -> {
                // JOSDK's meters (reconciliations, events, failures per controller), not per resource: a
                // Function's name as a tag would grow the registry with every Function ever seen
                o.withKubernetesClient(client).withCloseClientOnStop(false)
                        .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
                settings.leaderElection().ifPresent(lease -> {
                    var election = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(lease.name());
                    lease.namespace().ifPresent(election::withLeaseNamespace);
                    election.withExitOnStopLeading(lease.exitWhenLost());
                    o.withLeaderElectionConfiguration(election.build());
                });
            });
            EventRecorder events = new EventRecorder(client, clock);
            MatchingBacklogs backlogs = new MatchingBacklogs(new KafkaBacklogReader(admin));
            operator.register(new FunctionReconciler(new WorkloadApply(client), backlogs, events, registry, clock),
                    controller(FunctionReconciler.NAME, settings,
                            c -> c.withGenerationAware(false).withRetry(FunctionReconciler.retry())));
            operator.register(new BrokerReconciler(new BrokerTopics(admin, settings.kafkaTimeout()),
                    settings.ingressUrl(), events, clock), controller(BrokerReconciler.NAME, settings, c -> { }));
            operator.register(new TriggerReconciler(backlogs, events, clock),
                    controller(TriggerReconciler.NAME, settings, c -> { }));
            operator.start();
            return new SurgeOperator(operator, admin);
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    private static <R extends HasMetadata> Consumer<ControllerConfigurationOverrider<R>> controller(String name,
            Settings settings, Consumer<ControllerConfigurationOverrider<R>> more) {
        return c -> {
            c.withName(name).withFieldManager(WorkloadApply.FIELD_MANAGER);
            if (settings.namespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.namespaces());
            }
            more.accept(c);
        };
    }

    /** Started, and every informer connected (false while a replica waits to become leader). */
    public boolean healthy() {
        var info = operator.getRuntimeInfo();
        return info.isStarted() && info.allEventSourcesAreHealthy();
    }

    @Override
    public void close() {
        try {
            operator.stop();
        } finally {
            admin.close();
        }
    }
}
