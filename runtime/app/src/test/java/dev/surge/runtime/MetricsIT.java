package dev.surge.runtime;

import dev.surge.runtime.metrics.Metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The metric names a user finds in the README's table are the ones {@code /q/metrics} shows, with their tags,
 * and every meter Surge defines is in that table.
 */
@QuarkusTest
class MetricsIT {
    /** Each meter's name in {@link Metrics} → the Prometheus series the README documents. */
    static final Map<String, String> DOCUMENTED = new LinkedHashMap<>();

    static {
        DOCUMENTED.put(Metrics.INGRESS_EVENTS, "surge_ingress_events_total{broker=\"events\",namespace=\"test\"}");
        DOCUMENTED.put(Metrics.INGRESS_REJECTED, "surge_ingress_rejected_total{broker=\"events\",namespace=\"test\",status=\"400\"}");
        DOCUMENTED.put(Metrics.INGRESS_LATENCY, "surge_ingress_latency_seconds_count{broker=\"events\",namespace=\"test\"}");
        DOCUMENTED.put(Metrics.DISPATCH_DELIVERED, "surge_dispatch_delivered_total{namespace=\"test\",trigger=\"by-exact\"}");
        DOCUMENTED.put(Metrics.DISPATCH_DEAD_LETTERED, "surge_dispatch_dead_lettered_total{namespace=\"test\",sink=\"topic\",trigger=\"poison\"}");
        DOCUMENTED.put(Metrics.DISPATCH_IN_FLIGHT, "surge_dispatch_in_flight{namespace=\"test\",trigger=\"by-exact\"}");
        DOCUMENTED.put(Metrics.DISPATCH_RETRIED, "surge_dispatch_retried_total{namespace=\"test\",trigger=\"poison\"}");
        DOCUMENTED.put(Metrics.DISPATCH_FILTERED, "surge_dispatch_filtered_total{namespace=\"test\",trigger=\"by-exact\"}");
        DOCUMENTED.put(Metrics.DISPATCH_UNREADABLE, "surge_dispatch_unreadable_total{namespace=\"test\",trigger=\"by-exact\"}");
        DOCUMENTED.put(Metrics.DISPATCH_REPLIES, "surge_dispatch_replies_total{namespace=\"test\",trigger=\"greet\"}");
        DOCUMENTED.put(Metrics.DISPATCH_RESTARTS, "surge_dispatch_restarts_total{namespace=\"test\",trigger=\"by-exact\"}");
        DOCUMENTED.put(Metrics.DISPATCH_MATCHED_BACKLOG, "surge_dispatch_matched_backlog{namespace=\"test\",trigger=\"by-exact\"}");
        DOCUMENTED.put(Metrics.DISPATCH_LATENCY, "surge_dispatch_latency_seconds_count{namespace=\"test\",trigger=\"by-exact\"}");
        DOCUMENTED.put(Metrics.FUNCTION_BACKLOG, "surge_function_backlog{function=\"greeter\",namespace=\"test\"}");
        DOCUMENTED.put(Metrics.FUNCTION_DESIRED_REPLICAS, "surge_function_desired_replicas{function=\"greeter\",namespace=\"test\"}");
        DOCUMENTED.put(Metrics.FUNCTION_REPLICAS, "surge_function_replicas{function=\"greeter\",namespace=\"test\"}");
        DOCUMENTED.put(Metrics.FUNCTION_READY_REPLICAS, "surge_function_ready_replicas{function=\"greeter\",namespace=\"test\"}");
    }

    @Test
    void everyMeterIsListedHere() throws Exception {
        List<String> defined = Arrays.stream(Metrics.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(MetricsIT::value).toList();
        assertThat(DOCUMENTED.keySet()).containsExactlyInAnyOrderElementsOf(defined);
    }

    @Test
    void prometheusShowsTheDocumentedNamesWithTheirTags() {
        // Something for every meter: an accepted event that by-exact delivers, a refused request, an event
        // the poison trigger retries and dead-letters.
        post("test.exact", UUID.randomUUID().toString()).then().statusCode(202);
        given().header("ce-specversion", "1.0").post("/test/events").then().statusCode(400);
        post("test.poison", UUID.randomUUID().toString()).then().statusCode(202);
        given().post("/test/delivery"); // the delivery broker's meters exist too; the status does not matter here

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            for (String series : DOCUMENTED.values()) {
                assertThat(metrics).as("metric series %s", series).contains(series);
            }
        });
    }

    private static io.restassured.response.Response post(String type, String id) {
        String broker = type.equals("test.poison") ? "/test/delivery" : "/test/events";
        return given().header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/metrics")
                .header("ce-type", type).post(broker);
    }

    private static String value(Field f) {
        try {
            return (String) f.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
