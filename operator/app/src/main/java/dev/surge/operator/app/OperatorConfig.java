package dev.surge.operator.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's settings (application.properties, system properties, or environment variables such as
 * {@code SURGE_KAFKA_BOOTSTRAP_SERVERS}). Kafka's keys and meaning are the runtime's. The Kubernetes client takes
 * fabric8's usual configuration: in a pod its ServiceAccount, on a workstation {@code KUBECONFIG} or
 * {@code ~/.kube/config}.
 */
@ConfigMapping(prefix = "surge")
public interface OperatorConfig {
    Kafka kafka();

    Operator operator();

    interface Kafka {
        /** The Kafka cluster's bootstrap servers ({@code host:port,...}); required. */
        Optional<String> bootstrapServers();

        /** A Kafka client properties file (security protocol, SASL, TLS …) for the Admin client. */
        Optional<Path> clientPropertiesFile();

        /** Single Kafka client settings, e.g. {@code surge.kafka.client."security.protocol"=SASL_SSL}; win over the file's. */
        Map<String, String> client();

        /** Longest wait for one Kafka Admin call before a Broker reports Kafka unavailable. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Operator {
        /** Namespaces whose Surge resources the operator reconciles; unset: all namespaces. */
        Optional<Set<String>> namespaces();

        /** Base URL of the ingress Service; a Broker's address is {@code <ingress-url>/<namespace>/<broker>}. */
        @WithDefault("http://surge-ingress.surge.svc")
        URI ingressUrl();

        LeaderElection leaderElection();
    }

    interface LeaderElection {
        /** Several replicas elect one active reconciler through a Lease; off only for a single replica. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("surge-operator")
        String leaseName();

        /** Namespace of the Lease; unset: the operator's own namespace (from the pod, or the kubeconfig's context). */
        Optional<String> leaseNamespace();
    }
}
