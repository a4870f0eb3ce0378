package dev.surge.runtime.kubernetes;

import dev.surge.runtime.config.Role;
import dev.surge.runtime.config.SurgeConfig;
import dev.surge.runtime.auth.TokenSecrets;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import dev.surge.runtime.kubernetes.ClusterResources.Kind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The runtime fed by the cluster ({@code surge.resources=kubernetes}): a fabric8 client with fabric8's usual
 * configuration (in a pod its ServiceAccount; on a workstation {@code KUBECONFIG} or {@code ~/.kube/config}),
 * informers on the kinds the roles need, and the dispatcher's Function targets. Wired in one place, so
 * {@code SurgeRuntime} only chooses the mode.
 */
public final class KubernetesMode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubernetesMode.class);
    /** The operator needs one write to start a Function; more within this interval add nothing. */
    private static final Duration ACTIVATION_INTERVAL = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final ClusterResources resources;
    private final FunctionActivations activations;
    private final FunctionServices endpoints;
    private final SecretTokens secrets;

    private KubernetesMode(KubernetesClient client, ClusterResources resources, FunctionActivations activations,
            FunctionServices endpoints) {
        this.client = client;
        this.secrets = new SecretTokens(client);
        this.resources = resources;
        this.activations = activations;
        this.endpoints = endpoints;
    }

    /**
     * Connects and fills the informers' caches for {@code roles}: the ingress reads Brokers only; the dispatcher
     * Brokers, Functions and Triggers.
     *
     * @throws IllegalArgumentException for a bad setting (naming it)
     * @throws IllegalStateException    when the cluster cannot be watched (e.g. RBAC), saying what and why
     */
    public static KubernetesMode start(SurgeConfig.Kubernetes config, Set<Role> roles) {
        WatchedNamespaces namespaces = WatchedNamespaces.of(config.namespaces());
        FunctionServices.FunctionUrl url = new FunctionServices.FunctionUrl(config.functionUrl());
        List<Kind> kinds = kinds(roles);
        KubernetesClient client = new KubernetesClientBuilder().build();
        try {
            LOG.infof("watching %s in %s at %s", kinds.stream().map(k -> k.context.getPlural()).toList(), namespaces,
                    client.getConfiguration().getMasterUrl());
            ClusterResources resources = ClusterResources.start(client, namespaces, kinds, config.syncTimeout());
            FunctionActivations activations = new FunctionActivations(client, Clock.systemUTC(), ACTIVATION_INTERVAL);
            FunctionServices endpoints = new FunctionServices(resources::current, resources::function,
                    activations::request, url);
            return new KubernetesMode(client, resources, activations, endpoints);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The kinds {@code roles} use; also what their RBAC rules (helm/surge/files/rbac) allow to list and watch. */
    static List<Kind> kinds(Set<Role> roles) {
        return roles.contains(Role.DISPATCHER) ? List.of(Kind.BROKER, Kind.FUNCTION, Kind.TRIGGER)
                : roles.contains(Role.INGRESS) ? List.of(Kind.BROKER) : List.of();
    }

    public ClusterResources resources() {
        return resources;
    }

    public FunctionEndpoints endpoints() {
        return endpoints;
    }

    /** The Secrets of Brokers' {@code tokens.secretRef}, read and watched one by one when a Broker names one. */
    public TokenSecrets tokenSecrets() {
        return secrets;
    }

    @Override
    public void close() {
        secrets.close();
        activations.close();
        resources.close();
        client.close();
    }
}
