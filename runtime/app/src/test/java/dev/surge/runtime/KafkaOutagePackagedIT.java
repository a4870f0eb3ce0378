package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.kafka.EmbeddedKafka;
import dev.surge.runtime.testing.PackagedRuntime;
import dev.surge.runtime.testing.ScriptedTarget;
import dev.surge.runtime.testing.ScriptedTarget.Answer;
import dev.surge.runtime.testing.ScriptedTarget.Arrival;
import dev.surge.runtime.testing.SteadyLoad;
import dev.surge.runtime.testing.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker is stopped for several seconds while a client posts events at a steady rate, then started again
 * on the same port and data. The test runs the broker itself, outside the runtime's process (stopping the shared one
 * would break the tests after it), and the packaged runtime uses it with {@code --kafka-bootstrap-servers}. While
 * Kafka is down the ingress answers 503 with Retry-After, quickly, and readiness says so; afterwards it answers 202
 * again and the trigger goes on by itself: every event answered 202, before, during or after the outage, reaches the
 * target at least once.
 */
class KafkaOutagePackagedIT {
    static final int RATE = 200;
    static final Duration OUTAGE = Duration.ofSeconds(5);
    static final int MAX_IN_FLIGHT = 10;
    /** Requests the client keeps open at most: while Kafka's timeout (2 s) runs, 400 would be needed. */
    static final int OPEN_REQUESTS = 200;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path dir = Path.of("target", "outage-it-" + System.nanoTime()).toAbsolutePath();
    private EmbeddedKafka kafka;
    private ScriptedTarget target;
    private Process runtime;
    private SteadyLoad load;
    private int port;

    @AfterEach
    void stopEverything() throws Exception {
        if (load != null) {
            load.close();
        }
        PackagedRuntime.stop(runtime);
        if (target != null) {
            target.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        TestFiles.deleteRecursively(dir.resolve("kafka"));
        TestFiles.deleteRecursively(dir.resolve("data"));
    }

    @Test
    void whileKafkaIsDownTheIngressAnswers503WithRetryAfterAndEverythingAcceptedIsDeliveredAfter() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        target = new ScriptedTarget();
        target.script("/all", attempt -> Answer.after(2));
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
                spec:
                  broker: events
                  uri: %s
                  delivery: {maxInFlight: %d}
                """.formatted(target.url("/all"), MAX_IN_FLIGHT));
        port = PackagedRuntime.freePort();
        runtime = PackagedRuntime.start(yaml, port, dir.resolve("data"), dir.resolve("runtime.log"),
                "--kafka-bootstrap-servers", kafka.bootstrapServers());
        load = new SteadyLoad(URI.create("http://localhost:" + port + "/outage/events"), "e-", "test.outage", RATE, OPEN_REQUESTS);
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered().size() >= RATE * 2);

        long stoppedAt = System.nanoTime();
        kafka.stop();
        long downAt = System.nanoTime(); // the broker's sockets are closed
        long restartedAt;
        try {
            // The load itself shows the outage: 503s for OUTAGE, readiness down meanwhile.
            await().atMost(Duration.ofSeconds(10)).until(() -> get("/q/health/ready").statusCode() == 503);
            long start = System.nanoTime();
            HttpResponse<String> refused = post(UUID.randomUUID().toString());
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).contains("Kafka");
            // Known to be down: answered at once, not after Kafka's timeout; 'a second' with margin for a busy machine.
            assertThat(elapsedMs).isLessThan(2_000);
            await().atMost(OUTAGE.multipliedBy(3)).until(() -> refusedSince(stoppedAt) >= OUTAGE.toNanos());
        } finally {
            restartedAt = System.nanoTime();
            kafka.start(); // same port, same data
        }
        long down = restartedAt - stoppedAt;
        await().atMost(Duration.ofSeconds(60)).until(() -> load.answers().stream()
                .anyMatch(a -> a.status() == 202 && a.nanos() > restartedAt));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/q/health/ready").statusCode() == 200);
        int before = delivered().size();
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered().size() >= before + RATE * 2);
        load.close(); // every request answered: accepted() is final
        Set<String> accepted = load.accepted();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(delivered()).containsAll(accepted));

        List<SteadyLoad.Answer> answers = load.answers();
        List<SteadyLoad.Answer> refusedAnswers = answers.stream().filter(a -> a.status() == 503).toList();
        long acceptedDuring = answers.stream().filter(a -> a.status() == 202 && a.nanos() > downAt
                && a.nanos() < restartedAt).count();
        List<Arrival> all = target.arrivals("/all");
        int duplicates = all.size() - delivered().size();
        System.out.printf("Kafka outage of %.1f s under %d events/s: answers %s (%d not sent: %d requests open);"
                        + " %d accepted, all delivered, %d duplicate deliveries (%.2f%%)%n", down / 1e9, RATE,
                load.statuses(), load.skipped(), OPEN_REQUESTS, accepted.size(), duplicates, 100.0 * duplicates / accepted.size());
        assertThat(refusedAnswers).as("503s while Kafka was down").isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.retryAfter()).as("Retry-After of %s", a.id()).isNotNull();
                    assertThat(a.contentType()).isEqualTo("application/problem+json");
                });
        assertThat(load.statuses().keySet()).as("every request was answered 202 or 503").containsOnly(202, 503);
        assertThat(acceptedDuring).as("202s while Kafka was down").isZero();
        // Nothing was killed: deliveries in flight when Kafka went away are the most that may come twice (a commit
        // sent at that moment is lost, the partition may move in the group's rebalance after the broker's restart).
        assertThat(duplicates).as("duplicate deliveries").isLessThanOrEqualTo(CrashSafetyPackagedIT.allowed(RATE));
    }

    /** How long the load has been answered 503 since {@code since}: from the first such answer to the last. */
    private long refusedSince(long since) {
        List<Long> times = load.answers().stream().filter(a -> a.status() == 503 && a.nanos() > since)
                .map(SteadyLoad.Answer::nanos).toList();
        return times.isEmpty() ? 0 : times.get(times.size() - 1) - times.get(0);
    }

    private Set<String> delivered() {
        Set<String> ids = new HashSet<>();
        target.arrivals("/all").stream().filter(Arrival::succeeded).forEach(a -> ids.add(a.id()));
        return ids;
    }

    private HttpResponse<String> post(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/outage/events"))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/outage")
                .header("ce-type", "test.outage").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
