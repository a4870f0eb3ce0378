package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.runtime.testing.PackagedRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A runtime killed with SIGKILL leaves no function process behind. */
class FunctionsDieWithRuntimePackagedIT {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path dir = Path.of("target", "orphan-it-" + System.nanoTime()).toAbsolutePath();
    private Process runtime;
    private long functionPid = -1;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (runtime != null && runtime.isAlive()) {
            runtime.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        ProcessHandle.of(functionPid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void functionProcessesExitWhenTheRuntimeIsKilled() throws Exception {
        Path greeter = Path.of(System.getProperty("test.functions.dir"), "greeter/target/quarkus-app");
        Files.createDirectories(dir);
        Path yaml = dir.resolve("surge.yaml");
        Files.writeString(yaml, """
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: b, namespace: orphan}
                ---
                apiVersion: surge.dev/v1alpha1
                kind: Function
                metadata: {name: greeter, namespace: orphan}
                spec:
                  path: %s
                  scaling: {minReplicas: 1}
                """.formatted(greeter));
        int port = PackagedRuntime.freePort();
        runtime = PackagedRuntime.start(yaml, port, PackagedRuntime.freePort(), dir.resolve("data"),
                dir.resolve("runtime.log"));

        HttpRequest status = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/functions/orphan/greeter")).build();
        JsonNode ready = await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(runtime.isAlive()).as("runtime alive, see " + dir).isTrue();
            try {
                return new ObjectMapper().readTree(http.send(status, HttpResponse.BodyHandlers.ofString()).body());
            } catch (IOException notYet) {
                return null;
            }
        }, s -> s != null && s.path("readyReplicas").asInt() == 1);
        functionPid = ready.get("pids").get(0).asLong();
        assertThat(ProcessHandle.of(functionPid).map(ProcessHandle::isAlive)).contains(true);

        runtime.destroyForcibly(); // SIGKILL: Surge cannot stop its children itself
        assertThat(runtime.waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() ->
                ProcessHandle.of(functionPid).map(ProcessHandle::isAlive).orElse(false) == false);
    }
}
