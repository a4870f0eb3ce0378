package dev.surge.runtime;

import static dev.surge.runtime.testing.SurgeTestEnvironment.TOPIC;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.runtime.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Events accepted while a function is down reach it once it is back; none is lost. */
@QuarkusTest
class FunctionRestartIT {
    @Inject
    SurgeRuntime runtime;

    @Test
    void eventsAcceptedWhileTheFunctionIsDownAreDeliveredWhenItIsBack() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> names = IntStream.range(0, 20).mapToObj(i -> "guest-" + run + "-" + i).toList();

        runtime.functions().stop("test", "greeter");
        assertThat(runtime.functions().hasReady("test", "greeter")).isFalse();
        for (String name : names) {
            given().header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
                    .header("ce-source", "/test/restart").header("ce-type", "dev.surge.greet")
                    .contentType("application/json").body("{\"name\":\"" + name + "\"}")
                    .post("/test/events").then().statusCode(202);
        }
        assertThat(greetingsFor(run)).isEmpty();

        assertThat(runtime.functions().start("test", "greeter")).isTrue();

        List<String> expected = names.stream().map(n -> "{\"message\":\"Hi, " + n + "!\"}").toList();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(greetingsFor(run)).containsAll(expected));
    }

    private List<String> greetingsFor(String run) {
        return TopicReader.readAll(runtime.kafka().bootstrapServers(), TOPIC).stream()
                .filter(r -> "dev.surge.greeting".equals(TopicReader.header(r, "ce_type")))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v.contains(run))
                .toList();
    }
}
