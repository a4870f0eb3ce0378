package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.kafka.EmbeddedKafka;
import dev.surge.runtime.testing.PackagedRuntime;
import dev.surge.runtime.testing.RecordingSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka goes away and comes back. The test has a broker of its own (stopping the shared one would break the
 * tests that run after it): the ingress answers 503 with Retry-After quickly while Kafka is down, readiness
 * follows, and afterwards the ingress accepts and the trigger delivers again by itself.
 */
class KafkaOutagePackagedIT {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path dir = Path.of("target", "outage-it-" + System.nanoTime()).toAbsolutePath();
    private EmbeddedKafka kafka;
    private RecordingSink sink;
    private Process runtime;
    private int port;

    @AfterEach
    void stopEverything() throws Exception {
        PackagedRuntime.stop(runtime);
        if (sink != null) {
            sink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void unreachableKafkaGives503WithRetryAfterAndEverythingRecovers() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        sink = new RecordingSink();
        Files.createDirectories(dir);
        Path yaml = dir.resolve("surge.yaml");
        Files.writeString(yaml, """
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: events, namespace: outage}
                ---
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: all, namespace: outage}
                spec: {broker: events, uri: %s}
                """.formatted(sink.url("/all")));
        port = PackagedRuntime.freePort();
        runtime = PackagedRuntime.start(yaml, port, dir.resolve("data"), dir.resolve("runtime.log"),
                "--kafka-bootstrap-servers", kafka.bootstrapServers());
        Set<String> accepted = new HashSet<>();
        String before = UUID.randomUUID().toString();
        assertThat(post(before).statusCode()).isEqualTo(202);
        accepted.add(before);

        kafka.stop();
        try {
            long start = System.nanoTime();
            HttpResponse<String> refused = post(UUID.randomUUID().toString());
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("first request with Kafka down answered %d after %d ms%n", refused.statusCode(), elapsedMs);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).contains("Kafka");
            // The ingress must not hang until a client gives up; 'a second or two' with margin for a busy machine.
            assertThat(elapsedMs).isLessThan(5_000);

            await().atMost(Duration.ofSeconds(10)).until(() -> get("/q/health/ready").statusCode() == 503);
            long again = System.nanoTime();
            assertThat(post(UUID.randomUUID().toString()).statusCode()).isEqualTo(503);
            System.out.printf("later requests with Kafka down answered after %d ms%n", (System.nanoTime() - again) / 1_000_000);
        } finally {
            kafka.start();
        }
        String after = UUID.randomUUID().toString();
        await().atMost(Duration.ofSeconds(60)).until(() -> post(after).statusCode() == 202);
        accepted.add(after);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/q/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(delivered()).containsAll(accepted));
    }

    private Set<String> delivered() {
        Set<String> ids = new HashSet<>();
        sink.received("/all").forEach(r -> ids.add(r.headers().get("ce-id")));
        return ids;
    }

    private HttpResponse<String> post(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/outage/events"))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/outage")
                .header("ce-type", "test.outage").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
