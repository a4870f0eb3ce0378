package dev.surge.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The packaged runtime ({@code surge up} from the built jar) as a child process of a test. */
public final class PackagedRuntime {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PackagedRuntime() {
    }

    /** Starts {@code surge up} and returns once it is ready; its output goes to {@code log}. */
    public static Process start(Path yaml, int port, int kafkaPort, Path dataDir, Path log) throws IOException {
        return start(yaml, port, dataDir, log, "--kafka-port", String.valueOf(kafkaPort));
    }

    /** Starts {@code surge up} with more options (e.g. {@code --kafka-bootstrap-servers}) and waits until ready. */
    public static Process start(Path yaml, int port, Path dataDir, Path log, String... options) throws IOException {
        return start(yaml, port, dataDir, log, java.util.Map.of(), HTTP, "http", options);
    }

    /** As above, with more environment variables (e.g. {@code SURGE_ADMIN_AUTH_FILE}). */
    public static Process start(Path yaml, int port, Path dataDir, Path log, java.util.Map<String, String> env,
            String... options) throws IOException {
        return start(yaml, port, dataDir, log, env, HTTP, "http", options);
    }

    /**
     * Starts {@code surge up} and waits until {@code scheme://localhost:port/q/health/ready} answers 200 to
     * {@code client} (e.g. {@code https} with a client that trusts the certificate given in {@code options}).
     */
    public static Process start(Path yaml, int port, Path dataDir, Path log, HttpClient client, String scheme,
            String... options) throws IOException {
        return start(yaml, port, dataDir, log, java.util.Map.of(), client, scheme, options);
    }

    private static Process start(Path yaml, int port, Path dataDir, Path log, java.util.Map<String, String> env,
            HttpClient client, String scheme, String... options) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                ProcessHandle.current().info().command().orElse("java"), "-jar",
                System.getProperty("surge.runtime.jar"), "up", yaml.toString(), "--port", String.valueOf(port),
                "--data-dir", dataDir.toString()));
        command.addAll(java.util.List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + "/q/health/ready"))
                .build();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(p.isAlive()).as("runtime alive, see " + log).isTrue();
                try {
                    return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (RuntimeException | Error notReady) {
            try {
                stop(p); // the caller gets no handle to stop it with
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw notReady;
        }
        return p;
    }

    /** SIGTERM, and SIGKILL when it does not stop in 20 s. */
    public static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
