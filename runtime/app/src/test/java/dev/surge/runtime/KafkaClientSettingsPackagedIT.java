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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Surge against a cluster that requires SASL/SCRAM: the runtime is given only the secured listener and a
 * Kafka client properties file, as a user of a managed or Strimzi cluster would. Every client must carry the
 * settings — the admin client (topics are created), the ingress's producers (single and batched events are
 * accepted) and the trigger's consumer (the events are delivered) — or one of those steps fails.
 */
class KafkaClientSettingsPackagedIT {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path dir = Path.of("target", "sasl-it-" + System.nanoTime()).toAbsolutePath();
    private EmbeddedKafka kafka;
    private RecordingSink sink;
    private Process runtime;

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
    void everyClientAuthenticatesWithTheSettingsPassedThrough() throws Exception {
        kafka = EmbeddedKafka.startWithScram(dir.resolve("kafka"), 0, new EmbeddedKafka.Scram(0, "surge", "s3cret"));
        sink = new RecordingSink();
        Files.createDirectories(dir);
        Path clientProperties = dir.resolve("client.properties");
        Files.writeString(clientProperties, """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=SCRAM-SHA-256
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="surge" password="s3cret";
                """);
        Path yaml = dir.resolve("surge.yaml");
        Files.writeString(yaml, """
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: secured, namespace: sasl}
                ---
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: all, namespace: sasl}
                spec: {broker: secured, uri: %s}
                """.formatted(sink.url("/all")));
        int port = PackagedRuntime.freePort();
        Path log = dir.resolve("runtime.log");
        runtime = PackagedRuntime.start(yaml, port, dir.resolve("data"), log,
                "--kafka-bootstrap-servers", kafka.scramBootstrapServers().orElseThrow(),
                "--kafka-config", clientProperties.toString());

        URI broker = URI.create("http://localhost:" + port + "/sasl/secured");
        HttpResponse<String> single = http.send(HttpRequest.newBuilder(broker).header("ce-specversion", "1.0")
                .header("ce-id", "single-1").header("ce-source", "/sasl").header("ce-type", "test.sasl")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(single.statusCode()).as(single.body()).isEqualTo(202);
        HttpResponse<String> batch = http.send(HttpRequest.newBuilder(broker)
                .header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        [{"specversion":"1.0","id":"batch-1","source":"/sasl","type":"test.sasl"},
                         {"specversion":"1.0","id":"batch-2","source":"/sasl","type":"test.sasl"}]""")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> ids = new HashSet<>();
            sink.received("/all").forEach(r -> ids.add(r.headers().get("ce-id")));
            assertThat(ids).contains("single-1", "batch-1", "batch-2");
        });
        // The names of the settings are logged; the password never is.
        String output = Files.readString(log);
        assertThat(output).contains("sasl.jaas.config").doesNotContain("s3cret");
    }
}
