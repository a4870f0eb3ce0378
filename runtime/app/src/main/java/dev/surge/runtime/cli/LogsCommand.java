package dev.surge.runtime.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code surge logs <function>}: the output of a function's replicas, local or on a cluster. */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "dev.surge.runtime.cli.LogsCommand",
        description = {"Print a function's output: every replica's, each line after its replica ([greeter#1] in"
                + " local mode, [pod] on a cluster). -f follows it until Ctrl-C, also replicas that start meanwhile.",
                "Local mode reads <data-dir>/functions/<namespace>.<function>[.<replica>].log.",
                ""},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE,
                "3:no logs of that function (local: no replica ever started; cluster: no pod), or the cluster refused",
                "4:the cluster not reachable"})
public class LogsCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "[NAMESPACE/]FUNCTION", description = "The function, e.g. greeter or"
            + " demo/greeter.")
    String function;

    @Option(names = {"-f", "--follow"}, description = "Go on printing what the replicas write, until Ctrl-C.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "LINES", description = "Only the last LINES lines of each replica"
            + " (default: all).")
    Integer tail;

    @Option(names = "--data-dir", defaultValue = ".surge", paramLabel = "DIR", description = "Local mode's data folder,"
            + " as given to 'surge up' (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Mixin
    ClusterOptions.LocalOrCluster cluster = new ClusterOptions.LocalOrCluster();

    /** How often following looks for new output; tests shorten it. */
    Duration pollInterval = Duration.ofMillis(200);

    @Override
    int run() throws InterruptedException {
        String name = function;
        String ns = cluster.namespace;
        int slash = function.indexOf('/');
        if (slash >= 0) {
            if (cluster.namespace != null) {
                throw new ParameterException(spec.commandLine(), "'" + function + "' names a namespace and so does"
                        + " --namespace; give one of them");
            }
            ns = function.substring(0, slash);
            name = function.substring(slash + 1);
            if (ns.isEmpty() || name.isEmpty() || name.contains("/")) {
                throw new ParameterException(spec.commandLine(), "'" + function + "': write FUNCTION or"
                        + " NAMESPACE/FUNCTION, e.g. demo/greeter");
            }
        }
        if (tail != null && tail < 0) {
            throw new ParameterException(spec.commandLine(), "--tail " + tail + ": give 0 or more lines");
        }
        return cluster.kubernetes ? onCluster(ns, name) : local(ns, name);
    }

    private int local(String ns, String name) throws InterruptedException {
        cluster.checkLocal(spec);
        Path dir = dataDir.resolve("functions");
        if (ns == null) {
            List<String> namespaces = LocalLogs.namespacesOf(dir, name);
            if (namespaces.size() > 1) {
                throw new ParameterException(spec.commandLine(), "functions named '" + name + "' have logs in"
                        + " namespaces " + String.join(", ", namespaces) + "; name one, e.g. " + namespaces.get(0)
                        + "/" + name);
            }
            ns = namespaces.isEmpty() ? "default" : namespaces.get(0);
        }
        LocalLogs logs = new LocalLogs(dir, ns, name);
        if (logs.replicas().isEmpty() && !follow) {
            throw new CliFailure(ExitCodes.REFUSED, "no logs of function " + ns + "/" + name + " in " + dir
                    + (Files.isDirectory(dir) ? " (local mode writes them once a replica started; a function at zero"
                            + " replicas never started has none)" : " (no such folder: is --data-dir the one"
                            + " 'surge up' uses?)"));
        }
        Consumer<String> out = out()::println;
        logs.startAtLast(tail);
        logs.poll(out);
        if (!follow) {
            logs.flush(out);
            return ExitCodes.OK;
        }
        if (logs.replicas().isEmpty()) {
            err().println("surge logs: waiting for the first replica of " + ns + "/" + name + " (in " + dir
                    + "); Ctrl-C to stop");
        }
        out().flush();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (logs.poll(out) > 0) {
                    out().flush();
                }
                Thread.sleep(pollInterval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    private int onCluster(String ns, String name) {
        KubernetesClient client = null;
        ClusterLogs logs = null;
        try {
            client = cluster.open();
            String where = ns != null ? ns : client.getNamespace() != null ? client.getNamespace() : "default";
            logs = new ClusterLogs(client, where, name);
            List<Pod> pods = logs.pods();
            if (pods.isEmpty() && !follow) {
                throw new CliFailure(ExitCodes.REFUSED, "no pods of function " + where + "/" + name + " (label "
                        + ClusterLogs.FUNCTION_LABEL + "=" + name + "); a function at zero replicas has none:"
                        + " 'surge status --kubernetes' shows its replicas");
            }
            Consumer<String> out = line -> {
                out().println(line);
                out().flush();
            };
            if (!follow) {
                logs.print(pods, tail, out);
                return ExitCodes.OK;
            }
            if (pods.isEmpty()) {
                err().println("surge logs: waiting for a pod of " + where + "/" + name + "; Ctrl-C to stop");
            }
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    logs.follow(pods, tail, out);
                    Thread.sleep(Math.max(pollInterval.toMillis(), 1000));
                    pods = logs.pods();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ExitCodes.OK;
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(client, e, "read the pods and logs of function " + name);
        } finally {
            if (logs != null) {
                logs.close();
            }
            if (client != null) {
                client.close();
            }
        }
    }
}
