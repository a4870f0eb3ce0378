package dev.surge.operator.app;

import dev.surge.operator.SurgeOperator;
import dev.surge.operator.broker.KafkaAdminSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Starts the operator when the Quarkus app starts and stops it at shutdown. quarkus-operator-sdk does not build
 * here, so this bean does what it would: a fabric8 client from the usual configuration (in-cluster or KUBECONFIG),
 * JOSDK's Operator with the reconcilers, and leader election.
 */
@ApplicationScoped
public class OperatorLifecycle {
    private static final Logger LOG = Logger.getLogger(OperatorLifecycle.class);

    private KubernetesClient client;
    private volatile SurgeOperator operator;

    void start(@Observes StartupEvent event, OperatorConfig config, MeterRegistry registry) {
        var kafka = config.kafka();
        var settings = KafkaAdminSettings.of(kafka.bootstrapServers().orElse(null), kafka.clientPropertiesFile(),
                kafka.client());
        var op = config.operator();
        var election = op.leaderElection();
        client = new KubernetesClientBuilder().build();
        LOG.infof("Surge operator on %s, namespaces %s, Kafka %s", client.getMasterUrl(),
                op.namespaces().map(Object::toString).orElse("all"), kafka.bootstrapServers().orElse(""));
        operator = SurgeOperator.start(client, settings, new SurgeOperator.Settings(op.namespaces().orElse(Set.of()),
                election.enabled()
                        ? java.util.Optional.of(new SurgeOperator.Lease(election.leaseName(), election.leaseNamespace(), true))
                        : java.util.Optional.empty(),
                op.ingressUrl(), kafka.timeout()), registry, Clock.systemUTC());
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            if (operator != null) {
                operator.close();
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    /** The running operator, or null before start. */
    SurgeOperator operator() {
        return operator;
    }
}
