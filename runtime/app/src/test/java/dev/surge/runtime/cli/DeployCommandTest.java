package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code surge deploy}: with no helm on the PATH it prints the exact command; with a helm (a script standing in for
 * it, recording its arguments) and a cluster that answers (fabric8's mock API server), it runs it.
 */
@EnableKubernetesMockClient
class DeployCommandTest {
    static KubernetesMockServer server;
    static io.fabric8.kubernetes.client.KubernetesClient client;

    @TempDir
    Path dir;
    Path chart;
    Path values;
    Path kubeconfig;

    @BeforeEach
    void files() throws Exception {
        chart = Files.createDirectories(dir.resolve("helm/function"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: function\nversion: 0.1.0\n");
        values = Files.writeString(dir.resolve("greeter values.yaml"), "function:\n  image: greeter:1\n");
        kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
    }

    private DeployCommand command(Map<String, String> env) {
        DeployCommand c = new DeployCommand();
        c.env = env::get;
        c.cluster.clients = (context, timeout) -> server.createClient();
        return c;
    }

    /** A stand-in for helm: answers 'version', and otherwise records its arguments, prints a line and exits. */
    private Path fakeHelm(int exit) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path helm = bin.resolve("helm");
        Files.writeString(helm, "#!/bin/sh\n"
                + "if [ \"$1\" = version ]; then echo v3.99.0+gtest; exit 0; fi\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + dir.resolve("helm-args") + "\n"
                + "echo 'Release \"greeter\" has been upgraded. Happy Helming!'\n"
                + "exit " + exit + "\n");
        Files.setPosixFilePermissions(helm, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void withoutHelmOnThePathItPrintsTheExactCommandAndExitsWithFive() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        CliRun r = CliRun.run(command(Map.of("PATH", empty.toString(), "KUBECONFIG", kubeconfig.toString())),
                "greeter", "-n", "demo", "--values", values.toString(), "--chart", chart.toString(),
                "--image", "ghcr.io/acme/greeter:1.0");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_DEPLOYED);
        assertThat(r.out()).isEqualTo("helm upgrade --install greeter " + chart + " --namespace demo -f '" + values
                + "' --set-string function.name=greeter --set-string function.image=ghcr.io/acme/greeter:1.0\n");
        assertThat(r.err()).contains("helm is not on PATH; not deployed");
    }

    @Test
    void withWaitButNoHelmItPrintsTheKubectlWaitForTheFunctionToo() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        CliRun r = CliRun.run(command(Map.of("PATH", empty.toString(), "KUBECONFIG", kubeconfig.toString())),
                "greeter", "-n", "demo", "--chart", chart.toString(), "--wait", "--timeout", "2m");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_DEPLOYED);
        assertThat(r.out()).isEqualTo("helm upgrade --install greeter " + chart + " --namespace demo --set-string"
                + " function.name=greeter\nkubectl wait --for=condition=Ready functions.surge.dev/greeter --namespace"
                + " demo --timeout=120s\n");
    }

    @Test
    void withHelmButNoClusterConfiguredItPrintsTheCommandToo() throws Exception {
        CliRun r = CliRun.run(command(Map.of("PATH", fakeHelm(0).toString(), "HOME", dir.toString())), "greeter",
                "--chart", chart.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_DEPLOYED);
        assertThat(r.out()).isEqualTo("helm upgrade --install greeter " + chart
                + " --set-string function.name=greeter\n");
        assertThat(r.err()).contains("no cluster is configured");
        assertThat(dir.resolve("helm-args")).doesNotExist();
    }

    @Test
    void withHelmAndAClusterItRunsHelmAndStreamsItsOutput() throws Exception {
        CliRun r = CliRun.run(command(Map.of("PATH", fakeHelm(0).toString(), "KUBECONFIG", kubeconfig.toString())),
                "greeter", "-n", "demo", "-f", values.toString(), "--chart", chart.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("helm-args"))).containsExactly("upgrade", "--install", "greeter",
                chart.toString(), "--namespace", "demo", "-f", values.toString(), "--set-string",
                "function.name=greeter");
        assertThat(r.out()).isEqualTo("Release \"greeter\" has been upgraded. Happy Helming!\n");
        assertThat(r.err()).contains("surge deploy: helm v3.99.0+gtest").contains("surge deploy: cluster " + client.getMasterUrl() + " answers (Kubernetes ")
                .contains("surge deploy: running helm upgrade --install greeter").contains("done in");
    }

    @Test
    void aFailingHelmExitsWithOne() throws Exception {
        CliRun r = CliRun.run(command(Map.of("PATH", fakeHelm(1).toString(), "KUBECONFIG", kubeconfig.toString())),
                "greeter", "--chart", chart.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("surge deploy: helm exited with 1");
    }

    @Test
    void theChartNextToThisSurgeIsTheDefault() {
        DeployCommand c = command(Map.of());
        c.codeLocation = dir.resolve("runtime/app/target/quarkus-app/app/surge-runtime.jar");
        assertThat(c.defaultChart()).isEqualTo(chart.toString());
    }

    @Test
    void badArgumentsExitWithTwoNamingTheOption() {
        Map<String, String> env = Map.of("PATH", dir.toString());
        CliRun noFile = CliRun.run(command(env), "greeter", "--values", dir.resolve("missing.yaml").toString());
        assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFile.err()).contains("--values " + dir.resolve("missing.yaml") + ": no such readable file");

        CliRun badName = CliRun.run(command(env), "Greeter_1", "--chart", chart.toString());
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.err()).contains("'Greeter_1' is not a function name");

        CliRun noChart = CliRun.run(command(env), "greeter", "--chart", dir.resolve("nochart").toString());
        assertThat(noChart.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noChart.err()).contains("--chart " + dir.resolve("nochart") + ": no such folder");
    }

    @Test
    void helpListsEveryOptionAndTheExitCodes() {
        CliRun r = CliRun.run(new DeployCommand(), "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: deploy", "FUNCTION", "-f, --values=FILE", "--image=IMAGE",
                "--set=KEY=VALUE", "-n, --namespace=NAMESPACE", "--release=NAME", "--chart=PATH", "--context=CONTEXT",
                "--wait", "--timeout=DURATION", "Exit codes:", "0   done", "1   helm failed", "2   bad arguments",
                "6   --wait: helm deployed the release, but the Function was not Ready",
                "5   helm or a cluster not reachable");
    }
}
