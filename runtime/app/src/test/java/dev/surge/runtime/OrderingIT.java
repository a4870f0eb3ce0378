package dev.surge.runtime;

import static dev.surge.runtime.testing.SurgeTestEnvironment.DELIVERY_TOPIC;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.runtime.testing.ScriptedTarget;
import dev.surge.runtime.testing.ScriptedTarget.Answer;
import dev.surge.runtime.testing.ScriptedTarget.Arrival;
import dev.surge.runtime.testing.SurgeTestEnvironment;
import dev.surge.runtime.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Ordering guarantees per trigger, and isolation of a slow target from a fast one. */
@QuarkusTest
class OrderingIT {
    static final int EVENTS = 2_000;
    static final int KEYS = 20;
    /** Every delivery of the ordering tests takes this long at the target. */
    static final long SERVICE_MS = 5;

    @Inject
    SurgeRuntime runtime;

    ScriptedTarget target = SurgeTestEnvironment.target();

    @Test
    void orderedDeliversEachPartitionInOffsetOrder() {
        target.script("/ordered", attempt -> Answer.after(SERVICE_MS));
        String run = postKeyed("test.ordered");
        long start = System.nanoTime();
        List<Arrival> arrivals = awaitAll("/ordered", run);
        System.out.printf("ordered: %d events over %d keys delivered in %d ms%n", EVENTS, KEYS,
                (System.nanoTime() - start) / 1_000_000);

        Map<String, ConsumerRecord<String, byte[]>> records = recordsOf(run);
        Map<Integer, List<Long>> offsetsInArrivalOrder = new HashMap<>();
        for (Arrival a : firstArrivals(arrivals)) {
            ConsumerRecord<String, byte[]> r = records.get(a.id());
            offsetsInArrivalOrder.computeIfAbsent(r.partition(), p -> new java.util.ArrayList<>()).add(r.offset());
        }
        assertThat(offsetsInArrivalOrder).isNotEmpty();
        offsetsInArrivalOrder.forEach((partition, offsets) ->
                assertThat(offsets).as("partition %d", partition).isSortedAccordingTo(Comparator.naturalOrder()));
        // At-least-once: every event arrived; redeliveries are counted, not forbidden.
        System.out.printf("ordered: %d duplicates%n", arrivals.size() - firstArrivals(arrivals).size());
        assertThat(firstArrivals(arrivals)).as("every event at least once").hasSize(EVENTS);
    }

    @Test
    void keyedDeliversEachKeyInOrderAndKeysConcurrently() {
        target.script("/keyed", attempt -> Answer.after(SERVICE_MS));
        String run = postKeyed("test.keyed");
        long start = System.nanoTime();
        List<Arrival> arrivals = awaitAll("/keyed", run);
        System.out.printf("keyed: %d events over %d keys delivered in %d ms (compare with ordered above)%n", EVENTS,
                KEYS, (System.nanoTime() - start) / 1_000_000);

        Map<String, ConsumerRecord<String, byte[]>> records = recordsOf(run);
        Map<String, List<Long>> offsetsPerKey = new HashMap<>();
        for (Arrival a : firstArrivals(arrivals)) {
            offsetsPerKey.computeIfAbsent(a.key(), k -> new java.util.ArrayList<>()).add(records.get(a.id()).offset());
        }
        assertThat(offsetsPerKey).hasSize(KEYS);
        offsetsPerKey.forEach((key, offsets) ->
                assertThat(offsets).as("key %s", key).isSortedAccordingTo(Comparator.naturalOrder()));
    }

    @Test
    void aSlowTargetDoesNotDelayAFastOne() {
        target.script("/slow", attempt -> Answer.after(1_000));
        target.script("/fast", attempt -> Answer.ok());
        String run = "iso-" + UUID.randomUUID();
        int n = 300;
        postBatch("test.isolation", run, n, i -> null);

        // Both triggers get every event; the slow one at 1 s per delivery (100 in flight) needs > 3 s.
        await().atMost(Duration.ofSeconds(30)).until(() -> ofRun(target.arrivals("/fast"), run).size() >= n);
        long slowSoFar = ofRun(target.arrivals("/slow"), run).stream().map(Arrival::id).distinct().count();
        System.out.printf("isolation: fast target had all %d events while the slow one had %d%n", n, slowSoFar);
        assertThat(slowSoFar).isLessThan(n);
        await().atMost(Duration.ofSeconds(30)).until(() -> ofRun(target.arrivals("/slow"), run).stream()
                .map(Arrival::id).distinct().count() >= n);
    }

    /** Posts {@link #EVENTS} events over {@link #KEYS} partition keys in batches; returns the run's id prefix. */
    private static String postKeyed(String type) {
        String run = type + "-" + UUID.randomUUID();
        postBatch(type, run, EVENTS, i -> "key-" + (i % KEYS));
        return run;
    }

    private static void postBatch(String type, String run, int n, java.util.function.IntFunction<String> key) {
        for (int from = 0; from < n; from += 100) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = from; i < Math.min(n, from + 100); i++) {
                String k = key.apply(i);
                batch.append(i == from ? "" : ",").append("{\"specversion\":\"1.0\",\"id\":\"").append(run).append('-')
                        .append(i).append("\",\"source\":\"/test/ordering\",\"type\":\"").append(type).append('"')
                        .append(k == null ? "" : ",\"partitionkey\":\"" + k + "\"").append(",\"data\":{\"i\":")
                        .append(i).append("}}");
            }
            given().contentType("application/cloudevents-batch+json").body(batch.append(']').toString())
                    .post("/test/delivery").then().statusCode(202);
        }
    }

    private List<Arrival> awaitAll(String path, String run) {
        await().atMost(Duration.ofSeconds(90)).until(() -> ofRun(target.arrivals(path), run).stream()
                .map(Arrival::id).distinct().count() == EVENTS);
        return ofRun(target.arrivals(path), run);
    }

    private static List<Arrival> ofRun(List<Arrival> arrivals, String run) {
        return arrivals.stream().filter(a -> a.id() != null && a.id().startsWith(run)).toList();
    }

    /** Arrivals in arrival order, a redelivered event counted once, where it first came. */
    private static List<Arrival> firstArrivals(List<Arrival> arrivals) {
        var seen = new LinkedHashSet<String>();
        return arrivals.stream().filter(a -> seen.add(a.id())).toList();
    }

    private Map<String, ConsumerRecord<String, byte[]>> recordsOf(String run) {
        return TopicReader.readAll(runtime.kafka().bootstrapServers(), DELIVERY_TOPIC).stream()
                .filter(r -> {
                    String id = TopicReader.header(r, "ce_id");
                    return id != null && id.startsWith(run);
                })
                .collect(Collectors.toMap(r -> TopicReader.header(r, "ce_id"), r -> r));
    }
}
