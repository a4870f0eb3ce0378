package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code surge logs --kubernetes} against fabric8's mock API server: the function's pods found by the operator's
 * label (CRUD), their logs served by expectations (the mock has no log store; a followed log is its body, then
 * the end of the stream).
 */
@EnableKubernetesMockClient(crud = true)
class LogsCommandMockTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeEach
    void pods() {
        client.pods().inAnyNamespace().delete();
        client.resource(pod("greeter-7d9f-b", "greeter")).create();
        client.resource(pod("greeter-7d9f-a", "greeter")).create();
        client.resource(pod("payment-5c4d-a", "payment")).create();
        server.expect().get().withPath("/api/v1/namespaces/demo/pods/greeter-7d9f-a/log?pretty=false&container=function")
                .andReturn(200, "started\nhello Ada\n").always();
        server.expect().get().withPath("/api/v1/namespaces/demo/pods/greeter-7d9f-b/log?pretty=false&container=function")
                .andReturn(200, "started\nhello Grace\n").always();
        server.expect().get()
                .withPath("/api/v1/namespaces/demo/pods/greeter-7d9f-b/log?pretty=false&container=function&tailLines=1")
                .andReturn(200, "hello Grace\n").always();
    }

    private static Pod pod(String name, String function) {
        return new PodBuilder().withNewMetadata().withNamespace("demo").withName(name)
                .addToLabels("surge.dev/function", function).addToLabels("app.kubernetes.io/managed-by", "surge")
                .endMetadata().withNewSpec().addNewContainer().withName("function").withImage("greeter:1").endContainer()
                .endSpec().build();
    }

    private static LogsCommand command() {
        LogsCommand c = new LogsCommand();
        c.cluster.clients = (context, timeout) -> server.createClient();
        return c;
    }

    @Test
    void printsEveryPodsLogAfterThePodByName() {
        CliRun r = CliRun.run(command(), "--kubernetes", "demo/greeter");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                [greeter-7d9f-a] started
                [greeter-7d9f-a] hello Ada
                [greeter-7d9f-b] started
                [greeter-7d9f-b] hello Grace
                """);
    }

    @Test
    void tailAsksTheApiServerForTheLastLines() {
        client.pods().inNamespace("demo").withName("greeter-7d9f-a").delete();
        CliRun r = CliRun.run(command(), "--kubernetes", "-n", "demo", "greeter", "--tail", "1");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("[greeter-7d9f-b] hello Grace\n");
    }

    @Test
    void followWatchesEveryPodsLogAndPodsThatStartMeanwhileUntilInterrupted() throws Exception {
        client.pods().inNamespace("demo").withName("greeter-7d9f-b").delete();
        server.expect().get()
                .withPath("/api/v1/namespaces/demo/pods/greeter-7d9f-a/log?pretty=false&container=function&follow=true")
                .andReturn(200, "started\nhello Ada\n").always();
        server.expect().get()
                .withPath("/api/v1/namespaces/demo/pods/greeter-7d9f-c/log?pretty=false&container=function&follow=true")
                .andReturn(200, "started later\n").always();
        LogsCommand command = command();
        command.pollInterval = Duration.ofMillis(10);
        StringWriter out = new StringWriter();
        CommandLine cmd = SurgeCli.commandLine(command);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread follower = new Thread(() -> exit.set(cmd.execute("--kubernetes", "-f", "demo/greeter")));
        follower.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("[greeter-7d9f-a] hello Ada\n"));
            client.resource(pod("greeter-7d9f-c", "greeter")).create();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> out.toString().contains("[greeter-7d9f-c] started later\n"));
        } finally {
            follower.interrupt();
            follower.join(10_000);
        }
        assertThat(follower.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(out.toString()).doesNotContain("payment");
    }

    @Test
    void aFunctionWithoutPodsExitsWithThree() {
        CliRun r = CliRun.run(command(), "--kubernetes", "demo/inventory");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("no pods of function demo/inventory (label surge.dev/function=inventory)")
                .contains("surge status --kubernetes");
    }
}
