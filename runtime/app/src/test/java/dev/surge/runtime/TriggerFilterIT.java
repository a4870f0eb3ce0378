package dev.surge.runtime;

import static dev.surge.runtime.testing.SurgeTestEnvironment.FILTER_TRIGGERS;
import static dev.surge.runtime.testing.SurgeTestEnvironment.TOPIC;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.KafkaNames;
import dev.surge.runtime.testing.Lag;
import dev.surge.runtime.testing.SurgeTestEnvironment;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One end-to-end case per filter dialect: which trigger's target gets which event. */
@QuarkusTest
class TriggerFilterIT {
    @Inject
    SurgeRuntime runtime;

    private final String run = UUID.randomUUID().toString();
    private final Map<String, Set<String>> expected = new HashMap<>();

    @Test
    void eachTriggerReceivesExactlyTheEventsItsFilterPasses() throws Exception {
        for (String trigger : FILTER_TRIGGERS) {
            expected.put(trigger, new HashSet<>());
        }
        post("attr-eu", "test.attr", Map.of("region", "eu"), "by-attributes");
        post("attr-us", "test.attr", Map.of("region", "us"));
        post("exact", "test.exact", Map.of(), "by-exact");
        post("exact-longer", "test.exact.more", Map.of());
        post("prefix", "test.prefix.created", Map.of(), "by-prefix");
        post("prefix-no-dot", "test.prefixed", Map.of());
        post("suffix-pdf", "test.suffix", Map.of("subject", "invoice.pdf"), "by-suffix");
        post("suffix-doc", "test.suffix", Map.of("subject", "invoice.doc"));
        post("all-gold", "test.all", Map.of("tier", "gold"), "by-all");
        post("all-silver", "test.all", Map.of("tier", "silver"));
        post("any-a", "test.any.a", Map.of(), "by-any");
        post("any-b", "test.any.b", Map.of(), "by-any");
        post("any-c", "test.any.c", Map.of());
        post("not-keep", "test.not.keep", Map.of(), "by-not");
        post("not-skip", "test.not.skip", Map.of());
        post("cesql-150", "test.cesql", Map.of("amount", "150"), "by-cesql");
        post("cesql-50", "test.cesql", Map.of("amount", "50"));
        post("cesql-no-amount", "test.cesql", Map.of());

        // Once every filter trigger has committed up to the end of the topic, it has seen every event above.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String trigger : FILTER_TRIGGERS) {
                assertThat(Lag.of(runtime.kafka().admin(), KafkaNames.triggerGroup("test", trigger), TOPIC))
                        .as("lag of %s", trigger).isZero();
            }
        });
        for (String trigger : FILTER_TRIGGERS) {
            Set<String> got = SurgeTestEnvironment.sink().received("/" + trigger).stream()
                    .map(r -> r.headers().get("ce-id")).filter(id -> id.startsWith(run)).collect(Collectors.toSet());
            assertThat(got).as("events delivered by %s", trigger).isEqualTo(expected.get(trigger));
        }
    }

    private void post(String name, String type, Map<String, String> attributes, String... matchingTriggers) {
        String id = run + "-" + name;
        var request = given().header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/filters")
                .header("ce-type", type);
        for (var a : attributes.entrySet()) {
            request = request.header("ce-" + a.getKey(), a.getValue());
        }
        request.post("/test/events").then().statusCode(202);
        for (String t : List.of(matchingTriggers)) {
            expected.get(t).add(id);
        }
    }
}
