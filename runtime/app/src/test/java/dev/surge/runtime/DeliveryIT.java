package dev.surge.runtime;

import static dev.surge.runtime.testing.SurgeTestEnvironment.DEAD_LETTER_TOPIC;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Retries, backoff, timeouts and dead letters against a real HTTP target that fails as scripted. The
 * triggers' delivery settings are in {@link SurgeTestEnvironment}.
 */
@QuarkusTest
class DeliveryIT {
    /**
     * Timing tolerance of retry spacing: a retry may come at most 20 ms early (timer granularity) and up to
     * 400 ms late (a busy 2-core CI machine, GC pauses).
     */
    static final long EARLY_MS = 20;
    static final long LATE_MS = 400;
    /** How late a request's arrival may be recorded after its start (when its timeout starts running). */
    static final long FIRST_ARRIVAL_LATE_MS = 350;

    @Inject
    SurgeRuntime runtime;

    ScriptedTarget target = SurgeTestEnvironment.target();

    @Test
    void failsTwiceThenSucceedsIsRetriedWithPolicySpacingAndNotAfterItsSuccess() {
        target.script("/flaky", attempt -> attempt <= 2 ? new Answer(503, 0, "not yet") : Answer.ok());
        String id = post("test.flaky", "{\"n\":1}");

        await().atMost(Duration.ofSeconds(20)).until(() -> target.arrivals("/flaky", id).size() >= 3);
        // The policy's attempts, counted: no rebalance or crash happens here, so a fourth arrival would be a retry
        // after the target's 2xx, i.e. a bug of the retry loop, not at-least-once redelivery.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> target.arrivals("/flaky", id).size() == 3);
        List<Arrival> attempts = target.arrivals("/flaky", id);
        long firstGap = (attempts.get(1).nanos() - attempts.get(0).nanos()) / 1_000_000;
        long secondGap = (attempts.get(2).nanos() - attempts.get(1).nanos()) / 1_000_000;
        System.out.printf("flaky: retries after %d ms and %d ms (policy: 200 ms, 400 ms)%n", firstGap, secondGap);
        assertThat(firstGap).isBetween(200 - EARLY_MS, 200 + LATE_MS);
        assertThat(secondGap).isBetween(400 - EARLY_MS, 400 + LATE_MS);
        assertThat(deadLetter(id)).isNull();
    }

    @Test
    void alwaysFailingEventIsDeadLetteredWithWhyAndWhere() {
        target.script("/always-500", attempt -> new Answer(500, 0, "boom: database down"));
        String id = post("test.poison", "{\"order\":7}");

        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(20)).until(() -> deadLetter(id), r -> r != null);
        assertThat(target.arrivals("/always-500", id)).hasSize(3); // the first attempt and 2 retries
        assertThat(TopicReader.header(dead, "ce_type")).isEqualTo("test.poison");
        assertThat(TopicReader.header(dead, "ce_source")).isEqualTo("/test/delivery");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"order\":7}");
        assertThat(TopicReader.header(dead, "ce_surgeerrorcode")).isEqualTo("500");
        assertThat(TopicReader.header(dead, "ce_surgeerrorattempts")).isEqualTo("3");
        assertThat(TopicReader.header(dead, "ce_surgeerrorreason")).isEqualTo("status 500 after 3 attempts");
        assertThat(TopicReader.header(dead, "ce_surgeerrortrigger")).isEqualTo("test/poison");
        assertThat(TopicReader.header(dead, "ce_surgeerrordest")).isEqualTo(target.url("/always-500"));
        assertThat(new String(Base64.getDecoder().decode(TopicReader.header(dead, "ce_surgeerrordata")),
                StandardCharsets.UTF_8)).isEqualTo("boom: database down");
    }

    @Test
    void clientErrorIsDeadLetteredAtOnce() {
        target.script("/bad-request", attempt -> new Answer(400, 0, "quantity must be positive"));
        String id = post("test.rejected", "{\"quantity\":-1}");

        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(20)).until(() -> deadLetter(id), r -> r != null);
        assertThat(target.arrivals("/bad-request", id)).hasSize(1);
        assertThat(TopicReader.header(dead, "ce_surgeerrorcode")).isEqualTo("400");
        assertThat(TopicReader.header(dead, "ce_surgeerrorattempts")).isEqualTo("1");
        assertThat(TopicReader.header(dead, "ce_surgeerrorreason")).isEqualTo("status 400, not retryable");
    }

    @Test
    void attemptSlowerThanTheTimeoutIsRetried() {
        target.script("/slow-once", attempt -> attempt == 1 ? Answer.after(2_000) : Answer.ok());
        String id = post("test.slow-once", "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> target.arrivals("/slow-once", id).size() >= 2);
        List<Arrival> attempts = target.arrivals("/slow-once", id);
        long gap = (attempts.get(1).nanos() - attempts.get(0).nanos()) / 1_000_000;
        System.out.printf("slow-once: retried %d ms after the first arrival (timeout 500 ms, answer after 2 s)%n", gap);
        // The first attempt was given up after the 500 ms timeout, not after the 2 s answer, and not at once
        // (a retry without waiting for the timeout comes after the 50 ms backoff). The timeout runs from the
        // request's start, the gap from its arrival: on a starved machine (2 cores, load 10+) the first arrival
        // was seen recorded up to 350 ms after its start, so the lower bound allows that much.
        assertThat(gap).isBetween(500 - FIRST_ARRIVAL_LATE_MS, 1_500L);
        assertThat(deadLetter(id)).isNull();
    }

    @Test
    void eventWithAControlCharacterInAnExtensionNeverStopsItsTrigger() {
        target.script("/control", attempt -> Answer.ok());
        String odd = "test.control-" + UUID.randomUUID();
        String structured = "{\"specversion\":\"1.0\",\"id\":\"" + odd + "\",\"source\":\"/test/delivery\","
                + "\"type\":\"test.control\",\"myext\":\"a\\u000bb\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"n\":1}}";
        int status = given().contentType("application/cloudevents+json").body(structured).post("/test/delivery")
                .then().extract().statusCode();
        // The ingress may refuse it at the door (400) or take it (202); either way the trigger goes on.
        assertThat(status).isIn(202, 400);
        String next = post("test.control", "{\"n\":2}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !target.arrivals("/control", next).isEmpty());
        if (status == 202) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !target.arrivals("/control", odd).isEmpty() || deadLetter(odd) != null);
            List<Arrival> arrivals = target.arrivals("/control", odd);
            if (!arrivals.isEmpty()) {
                // percent-encoded as the CloudEvents HTTP binding requires (3.1.3.2)
                assertThat(arrivals.get(0).headers().get("ce-myext")).isEqualTo("a%0Bb");
            } else {
                assertThat(TopicReader.header(deadLetter(odd), "ce_surgeerrorreason")).isNotBlank();
            }
        }
    }

    @Test
    void triggersEndpointShowsEachDispatchersState() {
        given().get("/triggers").then().statusCode(200).contentType("application/json")
                .body("name", org.hamcrest.Matchers.hasItems("poison", "control-chars", "greet"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/triggers/test/poison").then()
                .statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("RUNNING"))
                .body("consumerGroup", org.hamcrest.Matchers.equalTo("surge.test.poison"))
                .body("restarts", org.hamcrest.Matchers.equalTo(0))
                .body("assignedPartitions", org.hamcrest.Matchers.hasSize(3)));
        given().get("/triggers/test/no-such-trigger").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("no-such-trigger"));
    }

    static String post(String type, String json) {
        String id = type + "-" + UUID.randomUUID();
        given().header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/delivery")
                .header("ce-type", type).contentType("application/json").body(json)
                .post("/test/delivery").then().statusCode(202);
        return id;
    }

    private ConsumerRecord<String, byte[]> deadLetter(String id) {
        return TopicReader.readAll(runtime.kafka().bootstrapServers(), DEAD_LETTER_TOPIC).stream()
                .filter(r -> id.equals(TopicReader.header(r, "ce_id"))).findFirst().orElse(null);
    }
}
