package dev.surge.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import dev.surge.kafka.EmbeddedKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Kafka goes away and comes back: the ingress answers 503 quickly, then accepts again. */
@QuarkusTest
class KafkaOutageIT {
    @Inject
    SurgeRuntime runtime;

    @Test
    void unreachableKafkaGives503WithRetryAfterAndRecovers() {
        EmbeddedKafka kafka = runtime.kafka().embedded().orElseThrow();
        assertThat(post().statusCode()).isEqualTo(202);
        kafka.stop();
        try {
            long start = System.nanoTime();
            Response refused = post();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("first request with Kafka down answered %d after %d ms%n", refused.statusCode(), elapsedMs);
            refused.then().statusCode(503).header("Retry-After", notNullValue())
                    .contentType("application/problem+json").body("detail", containsString("Kafka"));
            // The ingress must not hang until a client gives up; 'a second or two' with margin for a busy CI machine.
            assertThat(elapsedMs).isLessThan(5_000);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    given().get("/q/health/ready").then().statusCode(503));
            long again = System.nanoTime();
            post().then().statusCode(503);
            System.out.printf("later requests with Kafka down answered after %d ms%n", (System.nanoTime() - again) / 1_000_000);
        } finally {
            kafka.start();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(post().statusCode()).isEqualTo(202));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static Response post() {
        return given().header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
                .header("ce-source", "/test/outage").header("ce-type", "test.outage")
                .post("/test/events");
    }
}
