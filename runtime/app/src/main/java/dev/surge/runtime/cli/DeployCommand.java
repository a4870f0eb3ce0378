package dev.surge.runtime.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code surge deploy <function>}: installs or upgrades a function's release of the {@code helm/function} chart
 * where {@code helm} and a cluster are reachable, and otherwise prints the exact helm command to run elsewhere.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "dev.surge.runtime.cli.DeployCommand",
        description = {"Deploy a function to a cluster with Helm: helm upgrade --install of the helm/function chart,"
                + " its output streamed.",
                "Without helm on PATH or a reachable cluster (kube config: KUBECONFIG, ~/.kube/config, or a pod's"
                        + " service account), prints that exact helm command instead and exits with 5.",
                "",
                "Example:",
                "  surge deploy greeter -n demo -f greeter.yaml --image ghcr.io/acme/greeter:1.0 --wait",
                ""},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.HELP_OK + " (helm installed or upgraded the release; with --wait the Function is"
                + " Ready)",
                "1:helm failed (its output says why)", ExitCodes.HELP_USAGE,
                "3:the cluster refused (e.g. 403) to show the Function --wait waits for",
                "4:the cluster not reachable while waiting",
                "5:helm or a cluster not reachable from here: the helm command was printed, not run",
                "6:--wait: helm deployed the release, but the Function was not Ready within --timeout"})
public class DeployCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "FUNCTION", description = "The function's name (function.name of the"
            + " chart's values).")
    String function;

    @Option(names = {"-f", "--values"}, paramLabel = "FILE", description = "A values file for the chart (repeatable;"
            + " later files win): function.image, port, env, resources, scaling, and triggers.")
    List<Path> values = new ArrayList<>();

    @Option(names = "--image", paramLabel = "IMAGE", description = "The function's image (function.image), over the"
            + " values files'.")
    String image;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A chart value, as helm's --set (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--release", paramLabel = "NAME", description = "The helm release (default: the function's name).")
    String release;

    @Option(names = "--chart", paramLabel = "PATH", description = "The function chart (default: helm/function of this"
            + " Surge, or of the current folder).")
    String chart;

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--wait", description = "Then wait until the Function is Ready (its Ready condition True for this"
            + " spec: at zero replicas too, as it starts on its first event), showing its progress; within --timeout,"
            + " helm's run included.")
    boolean waitReady;


    /** Where this code runs from, to find the chart next to it. */
    Path codeLocation = codeLocation();

    @Override
    int run() throws IOException, InterruptedException {
        for (Path v : values) {
            if (!Files.isRegularFile(v) || !Files.isReadable(v)) {
                throw new ParameterException(spec.commandLine(), "--values " + v + ": no such readable file");
            }
        }
        HelmRelease helm = release();
        String problem = helm.problem();
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        if (chart != null && !looksRemote(chart) && !Files.isDirectory(Path.of(chart))) {
            throw new ParameterException(spec.commandLine(), "--chart " + chart + ": no such folder");
        }
        List<String> command = helm.command();
        Optional<Path> executable = onPath("helm");
        if (executable.isEmpty()) {
            return notDeployed(command, "helm is not on PATH");
        }
        String version = helmVersion(executable.get());
        if (version == null) {
            return notDeployed(command, executable.get() + " version failed");
        }
        progress("helm " + version + " (" + executable.get() + ")");
        String unreachable = clusterProblem();
        if (unreachable != null) {
            return notDeployed(command, unreachable);
        }
        progress("running " + HelmRelease.shell(command));
        long start = System.nanoTime();
        Instant deadline = Instant.now().plus(cluster.timeout);
        List<String> run = new ArrayList<>(command);
        run.set(0, executable.get().toString());
        Process p = new ProcessBuilder(run).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                out().println(line);
                out().flush();
            }
        }
        int exit = p.waitFor();
        if (exit != 0) {
            throw new CliFailure(ExitCodes.FAILED, "helm exited with " + exit);
        }
        if (waitReady) {
            awaitReady(deadline);
        }
        progress(String.format("done in %.1f s", (System.nanoTime() - start) / 1e9));
        return ExitCodes.OK;
    }

    /** Watches the Function until it is Ready, printing each state it passes through; fails at the deadline. */
    private void awaitReady(Instant deadline) {
        KubernetesClient client = null;
        try {
            client = cluster.open();
            String ns = cluster.namespace != null ? cluster.namespace
                    : client.getNamespace() != null ? client.getNamespace() : "default";
            String name = ns + "/" + function;
            Duration left = Duration.between(Instant.now(), deadline);
            progress("waiting up to " + Math.max(left.toSeconds(), 1) + " s for Function " + name + " to be Ready");
            AtomicReference<FunctionReadiness> last = new AtomicReference<>();
            try {
                client.resources(dev.surge.kubernetes.api.Function.class).inNamespace(ns).withName(function)
                        .waitUntilCondition(f -> {
                            FunctionReadiness now = FunctionReadiness.of(f);
                            if (!now.equals(last.getAndSet(now))) {
                                progress("Function " + name + ": " + now.state());
                            }
                            return now.ready();
                        }, Math.max(left.toMillis(), 1000), TimeUnit.MILLISECONDS);
            } catch (KubernetesClientTimeoutException e) {
                FunctionReadiness at = last.get();
                throw new CliFailure(ExitCodes.NOT_READY, "helm deployed the release, but Function " + name
                        + " was not Ready within " + cluster.timeout.toSeconds() + " s"
                        + (at == null ? "" : ": " + at.state()) + " (kubectl describe functions.surge.dev "
                        + function + " -n " + ns + ")");
            }
        } catch (KubernetesClientException e) {
            CliFailure f = ClusterAccess.failure(client, e, "watch Function " + function);
            throw new CliFailure(f.exitCode(), "helm deployed the release, but " + f.getMessage(), e);
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private int notDeployed(List<String> command, String why) {
        err().println("surge deploy: " + why + "; not deployed. Where helm and the cluster are, run:");
        out().println(HelmRelease.shell(command));
        HelmRelease release = release();
        if (release.waitCommand() != null) {
            out().println(HelmRelease.shell(release.waitCommand()));
        }
        return ExitCodes.NOT_DEPLOYED;
    }

    private void progress(String step) {
        err().println("surge deploy: " + step);
        err().flush();
    }

    private HelmRelease release() {
        return new HelmRelease(function, release == null ? function : release, cluster.namespace,
                chart == null ? defaultChart() : chart, values.stream().map(Path::toString).toList(), image, sets,
                cluster.context, waitReady ? cluster.timeout : null);
    }

    /** The first executable {@code name} of the PATH. */
    Optional<Path> onPath(String name) {
        String path = env.apply("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code helm version --short}'s answer, or null when it fails or takes more than 10 s. */
    private static String helmVersion(Path helm) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(helm.toString(), "version", "--short").redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.exitValue() == 0 ? text : null;
    }

    /** Why no cluster can be reached from here, or null when one answers. */
    private String clusterProblem() {
        String kubeconfig = env.apply("KUBECONFIG");
        String home = env.apply("HOME");
        boolean configured = env.apply("KUBERNETES_SERVICE_HOST") != null
                || kubeconfig != null && java.util.Arrays.stream(kubeconfig.split(File.pathSeparator))
                        .anyMatch(f -> !f.isEmpty() && Files.isRegularFile(Path.of(f)))
                || kubeconfig == null && home != null && Files.isRegularFile(Path.of(home, ".kube", "config"));
        if (!configured) {
            return "no cluster is configured (no KUBECONFIG, ~/.kube/config or service account)";
        }
        KubernetesClient client = null;
        try {
            client = cluster.clients.open(cluster.context, Duration.ofSeconds(5));
            var info = client.getKubernetesVersion();
            String version = info.getGitVersion() != null ? info.getGitVersion() : info.getMajor() + "." + info.getMinor();
            progress("cluster " + client.getMasterUrl() + " answers (Kubernetes " + version + ")");
            return null;
        } catch (KubernetesClientException e) {
            return ClusterAccess.failure(client, e, "tell its version").getMessage();
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    /** helm/function in the current folder, else next to this Surge (its repository), else as written. */
    String defaultChart() {
        Path here = Path.of("helm", "function");
        if (Files.isRegularFile(here.resolve("Chart.yaml"))) {
            return here.toString();
        }
        for (Path dir = codeLocation; dir != null; dir = dir.getParent()) {
            Path chart = dir.resolve("helm").resolve("function");
            if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
                return chart.toString();
            }
        }
        return here.toString();
    }

    private static boolean looksRemote(String chart) {
        return chart.startsWith("oci://") || chart.startsWith("https://") || chart.startsWith("http://")
                || !chart.startsWith(".") && !chart.startsWith("/") && chart.chars().filter(c -> c == '/').count() == 1
                        && !Files.exists(Path.of(chart));
    }

    private static Path codeLocation() {
        try {
            return Path.of(DeployCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath();
        } catch (Exception e) {
            return null;
        }
    }
}
