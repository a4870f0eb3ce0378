package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.kubetest.ReadmeCommands;
import dev.surge.runtime.testing.PackagedRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start as a new user follows it: {@code ./surge up} with the repository's own {@code surge.yaml},
 * then the README's "Post an event" {@code curl} commands, taken from the README itself, so the test breaks when the
 * README and Surge drift apart. Each must be answered 202 and reach its trigger's function (which starts from zero).
 * Then the README's {@code ./surge send}, {@code status} and {@code logs} lines, run with the repository's launcher.
 */
class QuickStartPackagedIT {
    private static final Pattern CURL = Pattern.compile("```sh\\n(curl -i http://localhost:8080/(\\S+) .*?)\\n```",
            Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("-H '([^:']+): ([^']*)'");
    private static final Pattern DATA = Pattern.compile("-d '(.*)'", Pattern.DOTALL);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path root = Path.of(System.getProperty("test.functions.dir")).getParent();
    private final Path dir = Path.of("target", "quick-start-it-" + System.nanoTime()).toAbsolutePath();
    private Process surge;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedRuntime.stop(surge);
    }

    @Test
    void theReadmesFirstEventsReachTheGreeterAndStartTheOrderFlow() throws Exception {
        Files.createDirectories(dir);
        // The repository's file, with its function paths made absolute (the test does not run in the checkout's root).
        Path yaml = dir.resolve("surge.yaml");
        Files.writeString(yaml, Files.readString(root.resolve("surge.yaml"))
                .replace("path: functions/", "path: " + root.resolve("functions") + "/"));
        int port = PackagedRuntime.freePort();
        // .surge in the folder it runs in: surge up's default data dir, where the README's ./surge logs looks
        surge = PackagedRuntime.start(yaml, port, PackagedRuntime.freePort(), dir.resolve(".surge"),
                dir.resolve("surge.log"));

        List<HttpRequest> fromReadme = readmeCurls(Files.readString(root.resolve("README.md")), port);
        assertThat(fromReadme).as("the README's binary and structured examples").hasSizeGreaterThanOrEqualTo(2);
        for (HttpRequest request : fromReadme.subList(0, 2)) {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("%s answered %s", request.uri(), answer.body()).isEqualTo(202);
        }

        // dev.surge.greet reaches the greeter; shop.order.placed runs payment → inventory → confirmation.
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(surge.isAlive()).as("surge alive, see " + dir).isTrue();
            for (String trigger : List.of("greet", "order-placed", "payment-completed", "inventory-reserved")) {
                assertThat(delivered(port, trigger)).as("events delivered by trigger demo/" + trigger).isPositive();
            }
        });

        // the same with the surge command, and what the README says shows what happened
        List<String> ran = new ArrayList<>();
        for (ReadmeCommands.Command command : ReadmeCommands.of(Files.readString(root.resolve("README.md")),
                "### Post an event").commands()) {
            if (command.word(0).equals("./surge")) {
                String out = surge(command, port);
                switch (command.word(1)) {
                    case "send" -> assertThat(out).as(command.toString()).startsWith("202");
                    case "status" -> assertThat(out).as(command.toString())
                            .contains("BROKERS", "TRIGGERS", "FUNCTIONS", "order-placed", "greeter");
                    case "logs" -> assertThat(out).as(command.toString()).contains("[" + command.word(2) + "#");
                    default -> throw new AssertionError("a README command this test does not check: " + command);
                }
                ran.add(command.word(1));
            } else {
                assertThat(command.word(0)).as("README commands besides ./surge").isIn("curl", "kcat");
            }
        }
        assertThat(ran).as("the README's surge commands").contains("send", "status", "logs");
    }

    /** {@code ./surge ...} of the README, with the repository's launcher, in the folder Surge runs in. */
    private String surge(ReadmeCommands.Command command, int port) throws Exception {
        List<String> words = new ArrayList<>(List.of("sh", root.resolve("surge").toString()));
        words.addAll(command.words().subList(1, command.words().size()));
        ProcessBuilder builder = new ProcessBuilder(words).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("SURGE_URL", "http://localhost:" + port);
        Process p = builder.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(command.toString()).isTrue();
            assertThat(p.exitValue()).as("%s exit code; its output:%n%s", command, out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    /** The README's {@code curl -i http://localhost:8080/...} blocks, as requests to this Surge. */
    static List<HttpRequest> readmeCurls(String readme, int port) {
        List<HttpRequest> requests = new ArrayList<>();
        Matcher block = CURL.matcher(readme);
        while (block.find()) {
            String command = block.group(1);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/" + block.group(2)));
            Matcher h = HEADER.matcher(command);
            while (h.find()) {
                b.header(h.group(1), h.group(2));
            }
            Matcher d = DATA.matcher(command);
            b.POST(HttpRequest.BodyPublishers.ofString(d.find() ? d.group(1) : ""));
            requests.add(b.build());
        }
        return requests;
    }

    private long delivered(int port, String trigger) throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/triggers/demo/" + trigger)).build();
        JsonNode status = new ObjectMapper().readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
        return status.path("delivered").asLong();
    }
}
