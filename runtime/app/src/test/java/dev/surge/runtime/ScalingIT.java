package dev.surge.runtime;

import static dev.surge.runtime.testing.SurgeTestEnvironment.SCALING_TOPIC;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.surge.runtime.local.FunctionSupervisor.FunctionStatus;
import dev.surge.runtime.testing.Lag;
import dev.surge.runtime.testing.TopicReader;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Scale to zero and back with real function processes: the greeter with 50 ms of work per event,
 * {@code concurrency} 4, {@code lagThreshold} 50, {@code maxReplicas} 3, {@code cooldownPeriod} 3 s.
 */
@QuarkusTest
class ScalingIT {
    private static final String SCALE_GREET_GROUP = "surge.test.scale-greet";

    @Inject
    SurgeRuntime runtime;

    private FunctionStatus status() {
        return runtime.functions().status("test", "scaled").orElseThrow();
    }

    private void awaitZero() {
        await().atMost(Duration.ofSeconds(60)).until(() -> status().replicas() == 0);
    }

    /** Scale-up beyond 1 comes from the matching backlog the dispatcher commits as offset metadata. */
    @Test
    void backlogRunsExactlyMaxReplicasThenScalesToZero() throws Exception {
        awaitZero();
        String run = UUID.randomUUID().toString().substring(0, 8);
        int events = 600;
        AtomicInteger most = new AtomicInteger();
        AtomicReference<Integer> deliveredWhenMax = new AtomicReference<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            int n = status().replicas();
            if (n > most.getAndAccumulate(n, Math::max) && n == 3) {
                deliveredWhenMax.set(greetings(run).size());
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            for (int from = 0; from < events; from += 100) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = from; i < from + 100; i++) {
                    batch.append(i == from ? "" : ",").append("{\"specversion\":\"1.0\",\"id\":\"").append(run).append('-')
                            .append(i).append("\",\"source\":\"/test/scaling\",\"type\":\"dev.surge.greet\",\"data\":")
                            .append("{\"name\":\"").append(run).append('-').append(i).append("\"}}");
                }
                given().contentType("application/cloudevents-batch+json").body(batch.append(']').toString())
                        .post("/test/scaling").then().statusCode(202);
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> greetings(run).size() >= events);
            System.out.printf("scaling: at most %d replicas; 3 reached after %s of %d events were delivered%n",
                    most.get(), deliveredWhenMax.get(), events);
            assertThat(most.get()).as("replicas while the backlog lasted").isEqualTo(3);
            assertThat(deliveredWhenMax.get()).as("3 replicas came while events were still waiting").isLessThan(events);

            awaitZero();
            assertThat(most.get()).as("never more than maxReplicas").isEqualTo(3);
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }
        // At-least-once: every event answered, duplicates (a redelivery after a rebalance) counted, not forbidden.
        Map<String, Long> perName = greetings(run).stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
        assertThat(perName).as("every event answered at least once").hasSize(events);
        long duplicates = perName.values().stream().mapToLong(n -> n - 1).sum();
        System.out.printf("scaling: %d duplicate answers%n", duplicates);
        // A rebalance redelivers at most what was in flight and uncommitted on a moved partition.
        assertThat(duplicates).as("duplicate answers across the scale-ups and downs").isLessThanOrEqualTo(events / 10);
    }

    /**
     * A flood of events that no trigger of the function matches (type bars.perf; its trigger takes
     * dev.surge.greet) is read by the trigger's consumer and passed over: the matching backlog stays 0, so the
     * function stays at zero, where raw consumer-group lag would have started maxReplicas.
     */
    @Test
    void floodOfEventsNoTriggerMatchesStartsNoFunction() throws Exception {
        awaitZero();
        // Watched all along, not only at the end: a replica started and stopped again by the cooldown during
        // the flood would otherwise go unseen.
        AtomicInteger mostReplicas = new AtomicInteger();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleAtFixedRate(() -> mostReplicas.accumulateAndGet(status().replicas(), Math::max), 0, 20,
                TimeUnit.MILLISECONDS);
        try {
            int events = 3000;
            for (int from = 0; from < events; from += 250) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = from; i < from + 250; i++) {
                    batch.append(i == from ? "" : ",").append("{\"specversion\":\"1.0\",\"id\":\"bar-").append(i)
                            .append("\",\"source\":\"/test/perf\",\"type\":\"bars.perf\",\"data\":{\"n\":").append(i)
                            .append("}}");
                }
                given().contentType("application/cloudevents-batch+json").body(batch.append(']').toString())
                        .post("/test/scaling").then().statusCode(202);
            }
            // The trigger's consumer has read them all: its group's committed offsets reach the end offsets.
            await().atMost(Duration.ofSeconds(60)).until(() -> Lag.of(runtime.kafka().admin(), SCALE_GREET_GROUP,
                    SCALING_TOPIC) == 0);
            // Several polling intervals (0.25 s) more, and the function never had a replica.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> status().replicas() == 0);
        } finally {
            watch.shutdownNow();
        }
        assertThat(mostReplicas.get()).as("replicas at any time during the flood").isZero();
        given().get("/functions/test/scaled").then().statusCode(200).body("replicas", equalTo(0))
                .body("backlog", equalTo(0));
    }

    @Test
    void synchronousCallAtZeroStartsTheFunctionAndReturnsItsAnswer() {
        awaitZero();
        long start = System.nanoTime();
        given().header("ce-specversion", "1.0").header("ce-id", "sync-1").header("ce-source", "/test/sync")
                .header("ce-type", "dev.surge.greet").contentType("application/json").body("{\"name\":\"Grace\"}")
                .post("/functions/test/scaled")
                .then().statusCode(200).header("ce-type", "dev.surge.greeting").body("message", equalTo("Hi, Grace!"));
        System.out.printf("activator: answer from zero replicas after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        List<Long> pids = status().pids();
        assertThat(pids).hasSize(1);

        // Idle for the cooldown: the process is gone, not just out of the rotation.
        awaitZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> pids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        given().get("/functions/test/scaled").then().statusCode(200).body("replicas", equalTo(0))
                .body("lastDecision.replicas", equalTo(0));
    }

    @TestHTTPResource("/functions/test/scaled")
    URI activator;

    /** The test limit is 64 KiB (surge.ingress.max-request-bytes); the body has no Content-Length. */
    @Test
    void activatorRefusesAChunkedBodyOverTheLimit() throws Exception {
        byte[] body = new byte[200 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');
        HttpRequest request = HttpRequest.newBuilder(activator).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("larger than 65536 bytes").contains("surge.ingress.max-request-bytes");
    }

    @Test
    void unknownFunctionIs404() {
        given().contentType("application/json").body("{}").post("/functions/test/nope").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private List<String> greetings(String run) {
        return TopicReader.readAll(runtime.kafka().bootstrapServers(), SCALING_TOPIC).stream()
                .filter(r -> "dev.surge.greeting".equals(TopicReader.header(r, "ce_type")))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v.contains(run))
                .toList();
    }
}
