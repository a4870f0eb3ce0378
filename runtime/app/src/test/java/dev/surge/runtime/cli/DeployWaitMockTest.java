package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.FunctionStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code surge deploy --wait}: after helm (a script standing in for it) deployed the release, it waits until the
 * Function is Ready, printing each state the operator reports on the way, against fabric8's mock API server (CRUD
 * mode) where the test plays the operator.
 */
@EnableKubernetesMockClient(crud = true)
class DeployWaitMockTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path dir;
    Path chart;
    Path kubeconfig;
    Path bin;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void files() throws Exception {
        chart = Files.createDirectories(dir.resolve("helm/function"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: function\nversion: 0.1.0\n");
        kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        bin = Files.createDirectories(dir.resolve("bin"));
        Path helm = bin.resolve("helm");
        Files.writeString(helm, "#!/bin/sh\nif [ \"$1\" = version ]; then echo v3.99.0+gtest; exit 0; fi\n"
                + "echo 'Release \"greeter\" has been upgraded. Happy Helming!'\n");
        Files.setPosixFilePermissions(helm, PosixFilePermissions.fromString("rwxr-xr-x"));
        // What helm made from the chart: the Function, not yet seen by the operator.
        Function greeter = new Function();
        greeter.setMetadata(new ObjectMetaBuilder().withNamespace("demo").withName("greeter").build());
        greeter.getSpec().setImage("ghcr.io/acme/greeter:1.0");
        client.resource(greeter).create();
    }

    @AfterEach
    void clean() {
        client.resources(Function.class).inAnyNamespace().delete();
    }

    private CompletableFuture<Integer> deploy(String... options) {
        DeployCommand c = new DeployCommand();
        c.env = Map.of("PATH", bin.toString(), "KUBECONFIG", kubeconfig.toString())::get;
        c.cluster.clients = (context, timeout) -> server.createClient();
        CommandLine cmd = SurgeCli.commandLine(c);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        List<String> args = new java.util.ArrayList<>(List.of("greeter", "-n", "demo", "--chart", chart.toString()));
        args.addAll(List.of(options));
        return CompletableFuture.supplyAsync(() -> cmd.execute(args.toArray(String[]::new)));
    }

    /** What the operator writes: the Function's Ready condition. */
    private static void operatorSays(String ready, String reason, String message) {
        Function f = client.resources(Function.class).inNamespace("demo").withName("greeter").get();
        FunctionStatus s = new FunctionStatus();
        s.setReplicas(0);
        s.setReadyReplicas(0);
        s.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus(ready).withReason(reason)
                .withMessage(message).withLastTransitionTime("2026-11-24T10:00:00Z").build()));
        f.setStatus(s);
        client.resource(f).update();
    }

    @Test
    void itWaitsUntilTheFunctionIsReadyAndShowsEachStateOnTheWay() throws Exception {
        CompletableFuture<Integer> exit = deploy("--wait", "--timeout", "60s");

        await().atMost(Duration.ofSeconds(30)).until(() -> err.toString()
                .contains("surge deploy: Function demo/greeter: no Ready condition yet"));
        assertThat(exit).isNotDone();
        operatorSays("False", "ReplicasNotReady", "0 of 1 replicas ready");
        await().atMost(Duration.ofSeconds(30)).until(() -> err.toString()
                .contains("surge deploy: Function demo/greeter: not Ready (ReplicasNotReady: 0 of 1 replicas ready)"));
        assertThat(exit).isNotDone();
        operatorSays("True", "ScaledToZero", "no replicas run; the function starts on the first event for it");

        assertThat(exit.get()).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("Release \"greeter\" has been upgraded. Happy Helming!\n");
        assertThat(err.toString()).contains("surge deploy: waiting up to ")
                .contains("for Function demo/greeter to be Ready")
                .contains("surge deploy: Function demo/greeter: Ready (ScaledToZero: no replicas run; the function"
                        + " starts on the first event for it)")
                .contains("surge deploy: done in");
        assertThat(err.toString().indexOf("no Ready condition yet")).isLessThan(err.toString().indexOf("not Ready ("));
        assertThat(err.toString().indexOf("not Ready (")).isLessThan(err.toString().indexOf(": Ready ("));
    }

    @Test
    void aFunctionNotReadyInTimeExitsWithSixSayingWhereItStands() throws Exception {
        operatorSays("False", "ReplicasNotReady", "0 of 1 replicas ready; see the pods of Deployment greeter");

        int exit = deploy("--wait", "--timeout", "3s").get();

        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.NOT_READY);
        assertThat(err.toString()).contains("surge deploy: helm deployed the release, but Function demo/greeter was"
                + " not Ready within 3 s: not Ready (ReplicasNotReady: 0 of 1 replicas ready; see the pods of"
                + " Deployment greeter) (kubectl describe functions.surge.dev greeter -n demo)");
    }

    @Test
    void withoutWaitItDoesNotWait() throws Exception {
        assertThat(deploy().get()).as(err.toString()).isZero();
        assertThat(err.toString()).doesNotContain("waiting").doesNotContain("Function demo/greeter");
    }
}
