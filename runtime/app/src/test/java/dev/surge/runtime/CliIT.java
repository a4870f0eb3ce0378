package dev.surge.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.runtime.testing.SurgeTestEnvironment;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code surge} commands against the real runtime of the integration tests (embedded Kafka, real function
 * processes): an event sent with {@code surge send} reaches its trigger's target, {@code surge status} reads the real
 * endpoints, {@code surge logs} the real replica logs.
 */
@QuarkusTest
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @ConfigProperty(name = "surge.data-dir")
    String dataDir;

    private record Run(int exit, String out, String err) {
    }

    private static Run surge(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String url() {
        return root.toString().replaceAll("/$", "");
    }

    @Test
    void sentEventsReachTheTriggersTargetInEachMode() {
        for (String mode : new String[] {"binary", "structured", "batched"}) {
            String id = "cli-" + mode + "-" + UUID.randomUUID();
            Run r = surge("send", "--url", url(), "--broker", "test/events", "--mode", mode, "--type", "test.cli",
                    "--id", id, "--source", "/test/cli", "-e", "region=eu", "--data", "{\"n\":1}");

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("202 Accepted (event " + id + " to test/events)\n");
            var received = await().atMost(Duration.ofSeconds(20)).until(() -> SurgeTestEnvironment.sink()
                    .received("/all").stream().filter(x -> id.equals(x.headers().get("ce-id"))).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
            assertThat(received.headers().get("ce-type")).isEqualTo("test.cli");
            assertThat(received.headers().get("ce-source")).isEqualTo("/test/cli");
            assertThat(received.headers().get("ce-region")).isEqualTo("eu");
            assertThat(received.body().toString()).isEqualTo("{\"n\":1}");
        }
    }

    @Test
    void refusalsOfTheRealIngressGiveExitThreeWithTheProblem() {
        Run unknown = surge("send", "--url", url(), "--broker", "test/nope", "--type", "t");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).startsWith("404 Not Found\n").contains("no broker 'nope' in namespace 'test'");

        Run invalid = surge("send", "--url", url(), "--broker", "test/events", "--type", "t", "--source", "not a uri");
        assertThat(invalid.exit()).isEqualTo(3);
        assertThat(invalid.err()).startsWith("400 Bad Request\n").contains("source");
    }

    @Test
    void theBrokersEndpointListsEveryBrokerWithItsAddressAndTopic() {
        given().get("/brokers").then().statusCode(200).contentType("application/json")
                .body("find { it.name == 'events' }.path", org.hamcrest.Matchers.equalTo("/test/events"))
                .body("find { it.name == 'events' }.topic", org.hamcrest.Matchers.equalTo("surge.test.events"))
                .body("find { it.name == 'events' }.partitions", org.hamcrest.Matchers.equalTo(3))
                .body("find { it.name == 'events' }.acceptsEvents", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void statusReadsTheRealEndpoints() throws Exception {
        String id = "cli-status-" + UUID.randomUUID();
        assertThat(surge("send", "--url", url(), "--broker", "test/events", "--type", "test.cli", "--id", id).exit())
                .isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> SurgeTestEnvironment.sink().received("/all").stream()
                .anyMatch(x -> id.equals(x.headers().get("ce-id"))));

        Run json = surge("status", "--url", url(), "-o", "json", "-n", "test");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode s = JSON.readTree(json.out());
        JsonNode events = find(s.get("brokers"), "events");
        assertThat(events.get("address").asText()).isEqualTo(url() + "/test/events");
        assertThat(events.get("topic").asText()).isEqualTo("surge.test.events");
        assertThat(events.get("ready").asText()).isEqualTo("True");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode all = find(JSON.readTree(surge("status", "--url", url(), "-o", "json").out()).get("triggers"),
                    "all-events");
            assertThat(all.get("broker").asText()).isEqualTo("events");
            assertThat(all.get("target").asText()).isEqualTo(SurgeTestEnvironment.sink().url("/all"));
            assertThat(all.get("state").asText()).isEqualTo("RUNNING");
            assertThat(all.get("delivered").asLong()).isPositive();
        });
        JsonNode greeter = find(s.get("functions"), "greeter");
        assertThat(greeter.get("replicas").isInt()).isTrue();
        assertThat(greeter.get("readyReplicas").isInt()).isTrue();

        Run table = surge("status", "--url", url());
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("BROKERS", "TRIGGERS", "FUNCTIONS")
                .containsPattern("test +events +True +" + url() + "/test/events +surge.test.events")
                .containsPattern("test +greet +events +function greeter +RUNNING");
    }

    @Test
    void logsPrintTheOutputOfAFunctionTheEventStarted() {
        String id = "cli-logs-" + UUID.randomUUID();
        Run sent = surge("send", "--url", url(), "--broker", "test/events", "--type", "dev.surge.greet", "--id", id,
                "--data", "{\"name\":\"Ada\"}");
        assertThat(sent.exit()).as(sent.err()).isZero();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Run logs = surge("logs", "--data-dir", dataDir, "test/greeter");
            assertThat(logs.exit()).as(logs.err()).isZero();
            assertThat(logs.out()).startsWith("[greeter#0] ").contains("started in");
        });
    }

    private static JsonNode find(JsonNode rows, String name) {
        for (JsonNode n : rows) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no " + name + " in " + rows);
    }
}
