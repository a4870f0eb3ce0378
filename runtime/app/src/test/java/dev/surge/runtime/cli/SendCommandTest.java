package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code surge send} against a real HTTP server standing in for the ingress: what it posts, prints and exits with. */
class SendCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ONE_BROKER = "[{\"namespace\":\"demo\",\"name\":\"default\",\"path\":\"/demo/default\"}]";

    FakeSurge surge;

    @BeforeEach
    void start() throws Exception {
        surge = new FakeSurge().answer("POST", "/demo/default", 202, null, "")
                .answer("GET", "/brokers", 200, "application/json", ONE_BROKER);
    }

    @AfterEach
    void stop() {
        surge.close();
    }

    private CliRun send(String... args) {
        return CliRun.run(new SendCommand(), withUrl(args));
    }

    private String[] withUrl(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--url";
        all[1] = surge.url();
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    @Test
    void binaryModePostsCeHeadersAndTheDataToTheBrokerAndExitsZeroOn202() {
        CliRun r = send("--broker", "demo/default", "--type", "dev.surge.greet", "--id", "g-1", "--source", "/cli",
                "--subject", "ada", "-e", "partitionkey=p-1", "-e", "lang=en", "--data", "{\"name\":\"Ada\"}");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("202 Accepted (event g-1 to demo/default)\n");
        assertThat(surge.posts()).hasSize(1);
        FakeSurge.Request post = surge.posts().get(0);
        assertThat(post.path()).isEqualTo("/demo/default");
        assertThat(post.headers()).containsEntry("ce-specversion", "1.0").containsEntry("ce-id", "g-1")
                .containsEntry("ce-source", "/cli").containsEntry("ce-type", "dev.surge.greet")
                .containsEntry("ce-subject", "ada").containsEntry("ce-partitionkey", "p-1")
                .containsEntry("ce-lang", "en").containsEntry("content-type", "application/json");
        assertThat(post.text()).isEqualTo("{\"name\":\"Ada\"}");
    }

    @Test
    void aTokenGoesAsABearerTokenWithEveryRequestAndIsNeverPrinted() {
        CliRun r = send("--type", "ping", "--token", "orders-token-0123456789", "-v");

        assertThat(r.exitCode()).isZero();
        assertThat(surge.requests()).extracting(q -> q.method() + " " + q.path() + " " + q.headers().get("authorization"))
                .containsExactly("GET /brokers Bearer orders-token-0123456789",
                        "POST /demo/default Bearer orders-token-0123456789");
        assertThat(r.err()).contains("> authorization: Bearer …").doesNotContain("orders-token-0123456789");
        assertThat(r.out()).doesNotContain("orders-token-0123456789");
    }

    @Test
    void aRefusedTokenIsARefusalWithTheProblemsDetail() {
        surge.answer("POST", "/demo/default", 401, "application/problem+json",
                "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"the token has expired\"}");
        CliRun r = send("--broker", "demo/default", "--type", "ping", "--token", "old-token-0123456789");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("401 Unauthorized", "the token has expired");
    }

    @Test
    void defaultsAreARandomIdSourceSurgeCliAndTheOnlyBrokerOfTheRuntime() {
        CliRun r = send("--type", "ping");

        assertThat(r.exitCode()).isZero();
        FakeSurge.Request post = surge.posts().get(0);
        assertThat(post.path()).isEqualTo("/demo/default");
        assertThat(post.headers().get("ce-id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(post.headers()).containsEntry("ce-source", "surge-cli").doesNotContainKey("content-type");
        assertThat(r.out()).contains("event " + post.headers().get("ce-id"));
        assertThat(post.body()).isEmpty();
        assertThat(send("--type", "ping").exitCode()).isZero();
        assertThat(surge.posts().get(1).headers().get("ce-id")).isNotEqualTo(post.headers().get("ce-id"));
    }

    @Test
    void structuredModePostsOneJsonDocument() throws Exception {
        CliRun r = send("--mode", "structured", "--type", "shop.order.placed", "--id", "o-1",
                "-e", "partitionkey=o-1", "--data", "{\"orderId\":\"o-1\"}");

        assertThat(r.exitCode()).isZero();
        FakeSurge.Request post = surge.posts().get(0);
        assertThat(post.headers()).containsEntry("content-type", "application/cloudevents+json; charset=UTF-8")
                .doesNotContainKeys("ce-id", "ce-type");
        JsonNode e = JSON.readTree(post.body());
        assertThat(e.get("id").asText()).isEqualTo("o-1");
        assertThat(e.get("type").asText()).isEqualTo("shop.order.placed");
        assertThat(e.get("partitionkey").asText()).isEqualTo("o-1");
        assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.get("data").get("orderId").asText()).isEqualTo("o-1");
    }

    @Test
    void batchedModePostsAnArrayAndReadsDataFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("order.txt");
        Files.writeString(file, "two lines\nof text\n");
        CliRun r = send("--mode", "BATCHED", "--type", "t", "--id", "b-1", "--content-type", "text/plain",
                "--data-file", file.toString());

        assertThat(r.exitCode()).isZero();
        FakeSurge.Request post = surge.posts().get(0);
        assertThat(post.headers()).containsEntry("content-type", "application/cloudevents-batch+json; charset=UTF-8");
        JsonNode batch = JSON.readTree(post.body());
        assertThat(batch).hasSize(1);
        assertThat(batch.get(0).get("id").asText()).isEqualTo("b-1");
        assertThat(batch.get(0).get("datacontenttype").asText()).isEqualTo("text/plain");
        assertThat(batch.get(0).get("data").asText()).isEqualTo("two lines\nof text\n");
    }

    @Test
    void dataFileDashReadsStandardInput() {
        SendCommand command = new SendCommand();
        command.stdin = new ByteArrayInputStream("from stdin".getBytes(StandardCharsets.UTF_8));
        CliRun r = CliRun.run(command, withUrl("--type", "t", "--content-type", "text/plain", "--data-file", "-"));

        assertThat(r.exitCode()).isZero();
        assertThat(surge.posts().get(0).text()).isEqualTo("from stdin");
        assertThat(surge.posts().get(0).headers()).containsEntry("content-type", "text/plain");
    }

    @ParameterizedTest(name = "{0} → exit {1}")
    @CsvSource({"400, 3", "404, 3", "413, 3", "415, 3", "500, 4", "503, 4"})
    void aRefusalPrintsItsStatusAndProblemOnStandardErrorAndExitsWithItsCode(int status, int exit) {
        String problem = "{\"title\":\"Bad\",\"status\":" + status + ",\"detail\":\"missing required attribute 'x'\"}";
        surge.answer("POST", "/demo/default", status, "application/problem+json", problem);

        CliRun r = send("--type", "t", "--data", "{}");

        assertThat(r.exitCode()).isEqualTo(exit);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(status + " ").contains(problem);
    }

    @Test
    void anUnreachableSurgeExitsWithFourAndSaysWhereItLooked() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.run(new SendCommand(), "--url", "http://127.0.0.1:" + port, "--broker", "demo/default",
                "--type", "t");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("cannot reach Surge at http://127.0.0.1:" + port).contains("--url")
                .contains("SURGE_URL");
    }

    @Test
    void aBrokerNameAloneIsInNamespaceDefault() {
        surge.answer("POST", "/default/orders", 202, null, "");
        assertThat(send("--broker", "orders", "--type", "t").exitCode()).isZero();
        assertThat(surge.posts().get(0).path()).isEqualTo("/default/orders");
    }

    @Test
    void withSeveralBrokersTheBrokerMustBeNamed() {
        surge.answer("GET", "/brokers", 200, "application/json", "[{\"namespace\":\"demo\",\"name\":\"default\"},"
                + "{\"namespace\":\"demo\",\"name\":\"audit\"}]");
        CliRun r = send("--type", "t");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--broker: Surge at " + surge.url() + " has 2 brokers (demo/default, demo/audit)");
        assertThat(surge.posts()).isEmpty();
    }

    @Test
    void verbosePrintsTheRequestOnStandardError() {
        CliRun r = send("-v", "--type", "t", "--id", "v-1", "--data", "{\"a\":1}");
        assertThat(r.err()).contains("> POST " + surge.url() + "/demo/default").contains("> ce-id: v-1")
                .contains("> Content-Type: application/json").contains("{\"a\":1}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "--data x --data-file y | mutually exclusive",
            "--mode fancy | 'fancy' is not a content mode; use binary, structured or batched",
            "-e Bad=1 | 'Bad' is not an attribute name",
            "-e id=1 | id is not an extension; use --id",
            "--broker a/b/c | --broker 'a/b/c': write NAMESPACE/NAME",
            "--url ftp://x | --url: 'ftp://x' is not an http:// or https:// URL",
            "--timeout soon | 'soon' is not a duration",
            "--data-file /no/such/file | --data-file /no/such/file: no such readable file",
            "--mode structured --data {x | the data is not one JSON value"})
    void badArgumentsExitWithTwoAndSayWhichOptionAndWhy(String args, String message) {
        String all = (args.startsWith("--url") ? "" : "--url " + surge.url() + " ")
                + (args.startsWith("--broker") ? "" : "--broker demo/default ") + "--type t " + args;
        CliRun r = CliRun.run(new SendCommand(), all.split(" "));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("surge send: ").contains(message).endsWith("See 'surge send --help'.\n")
                .doesNotContain("Usage:");
        assertThat(surge.posts()).isEmpty();
    }

    @Test
    void theTypeIsRequired() {
        CliRun r = send("--data", "{}");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Missing required option: '--type=TYPE'");
    }

    @Test
    void helpListsEveryOptionAndTheExitCodes() {
        CliRun r = CliRun.run(new SendCommand(), "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: send", "--type=TYPE", "--source=URI-REF", "--id=ID", "--subject=SUBJECT",
                "-e, --extension=NAME=VALUE", "-d, --data=DATA", "--data-file=FILE", "--content-type=MEDIA-TYPE",
                "--mode=MODE", "-b, --broker=NAMESPACE/NAME", "--url=URL", "--timeout=DURATION", "Exit codes:",
                "0   done", "2   bad arguments", "3   Surge refused the event", "4   Surge not reachable");
    }
}
