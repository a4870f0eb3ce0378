package dev.surge.runtime.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A Kubernetes client with fabric8's usual configuration (in a pod its ServiceAccount, on a workstation
 * {@code KUBECONFIG} or {@code ~/.kube/config}), and the clear failure for what goes wrong talking to a cluster.
 */
final class ClusterAccess {
    /** Opens clients; tests give one of a mock API server. */
    interface Clients {
        KubernetesClient open(String context, Duration timeout);
    }

    static final Clients DEFAULT = (context, timeout) -> client(Config.autoConfigure(context), timeout); // null: current

    /**
     * A client of {@code config} that waits at most {@code timeout} for each answer and does not retry: a command
     * says at once what is wrong (fabric8 would otherwise retry a 5xx, e.g. a pod proxy's 503, with backoff).
     */
    static KubernetesClient client(Config config, Duration timeout) {
        config.setConnectionTimeout((int) timeout.toMillis());
        config.setRequestTimeout((int) timeout.toMillis());
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private ClusterAccess() {
    }

    /** What went wrong, as a failure with its exit code: unreachable (4), refused (3), missing resource kinds (3). */
    static CliFailure failure(KubernetesClient client, KubernetesClientException e, String what) {
        String where = client == null ? "the cluster" : "the cluster at " + client.getMasterUrl();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof java.net.http.HttpConnectTimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return new CliFailure(ExitCodes.UNAVAILABLE, "cannot reach " + where + " (" + t + "); fabric8 reads"
                        + " KUBECONFIG, ~/.kube/config or a pod's service account (--context picks a context)", e);
            }
        }
        if (e.getCode() == 401 || e.getCode() == 403) {
            return new CliFailure(ExitCodes.REFUSED, where + " refused to " + what + " (" + e.getCode() + "): "
                    + e.getStatus().getMessage() + "; with access to one namespace only, give --namespace", e);
        }
        if (e.getCode() == 404) {
            return new CliFailure(ExitCodes.REFUSED, where + " does not know " + what + " (404): are Surge's custom"
                    + " resources installed (helm/surge)?", e);
        }
        if (e.getCode() >= 500 || e.getCode() == 0) {
            return new CliFailure(ExitCodes.UNAVAILABLE, "cannot " + what + " on " + where + ": " + e.getMessage(), e);
        }
        return new CliFailure(ExitCodes.REFUSED, where + " refused to " + what + ": " + e.getMessage(), e);
    }
}
