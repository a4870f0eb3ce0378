package dev.surge.runtime.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of every command that talks to a cluster ({@code --context}, {@code -n/--namespace},
 * {@code --timeout}), as one picocli mixin; {@link LocalOrCluster} adds {@code -k/--kubernetes} for the commands
 * that read a running Surge unless told to read a cluster ({@code status}, {@code logs}). {@code deploy} always
 * works on a cluster, so it takes this class without the switch.
 *
 * <p>The names, values and checks are shared; the help text of {@code namespace}, {@code timeout} and
 * {@code kubernetes}, and the default of {@code timeout} ({@code timeout.default}), come from each command's resource
 * bundle ({@code <Command>.properties} next to the class), because what they mean differs per command:
 * {@code status} filters by namespace, {@code logs} and {@code deploy} act in one; {@code deploy}'s timeout is the
 * whole wait.
 */
class ClusterOptions {
    @Option(names = "--context", paramLabel = "CONTEXT", descriptionKey = "context",
            description = "The kube config context (default: the current one).")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", descriptionKey = "namespace",
            description = "The namespace.")
    String namespace;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${bundle:timeout.default:-10s}", descriptionKey = "timeout",
            description = "Longest wait for the cluster (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** How the cluster's client is opened; tests give a mock or a real test API server's. */
    ClusterAccess.Clients clients = ClusterAccess.DEFAULT;

    /** A client of the cluster {@code --context} names, with {@code --timeout} for each request. */
    KubernetesClient open() {
        return clients.open(context, timeout);
    }

    /** {@code -k/--kubernetes} besides: the command reads a cluster only when it is given. */
    static class LocalOrCluster extends ClusterOptions {
        @Option(names = {"-k", "--kubernetes"}, descriptionKey = "kubernetes",
                description = "Read the cluster (fabric8's usual configuration: KUBECONFIG, ~/.kube/config, or a"
                        + " pod's service account).")
        boolean kubernetes;

        /** A usage error when an option only a cluster takes is given without {@code --kubernetes}. */
        void checkLocal(CommandSpec spec) {
            if (!kubernetes && context != null) {
                throw new ParameterException(spec.commandLine(), "--context is for a cluster: give --kubernetes too");
            }
        }
    }
}
