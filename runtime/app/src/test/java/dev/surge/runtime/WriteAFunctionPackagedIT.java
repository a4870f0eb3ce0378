package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's "Writing a function" as a new user follows it, with the commands taken from the README itself:
 * {@code ./surge new} (the repository's launcher, the template the build installed), the generated project's own
 * {@code ./mvnw package} (which runs its test), {@code ./surge up} with the project's {@code surge.yaml}, and the
 * README's {@code curl} to the function, whose reply must be the one the README shows. Then an event posted to the
 * project's broker must reach the function through its trigger.
 */
class WriteAFunctionPackagedIT {
    private static final Pattern SECTION = Pattern.compile("\n## Writing a function\n(.*?)\n### ", Pattern.DOTALL);
    private static final Pattern NEW = Pattern.compile("\n\\./surge new ([^\n]+)\n");
    private static final Pattern BUILD = Pattern.compile("\n\\(cd (\\S+) && \\./mvnw package\\)\n");
    private static final Pattern UP = Pattern.compile("\n\\./surge up (\\S+)\n");
    private static final Pattern CURL = Pattern.compile("\ncurl -i localhost:8080(/\\S+) (.*?)\n```", Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("-H '([^:']+): ([^']*)'");
    private static final Pattern DATA = Pattern.compile("-d '([^']*)'");
    private static final Pattern REPLY = Pattern.compile("`ce-type: ([^`]+)`, `([^`]+)`");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path root = Path.of(System.getProperty("test.functions.dir")).getParent();
    private final Path work = Path.of("target", "write-a-function-it-" + System.nanoTime()).toAbsolutePath();
    private Process surge;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedRuntime.stop(surge);
    }

    @Test
    void theReadmesNewFunctionIsGeneratedBuiltRunAndAnswers() throws Exception {
        String section = find(SECTION, Files.readString(root.resolve("README.md")), "the README's Writing a function");
        Files.createDirectories(work);

        List<String> surgeNew = new ArrayList<>(List.of("sh", root.resolve("surge").toString(), "new"));
        surgeNew.addAll(Arrays.asList(home(find(NEW, section, "./surge new")).split(" +")));
        run(surgeNew, work, Duration.ofMinutes(2), "surge new");

        Path project = Path.of(home(find(BUILD, section, "(cd … && ./mvnw package)")));
        assertThat(project.resolve("mvnw")).as("the generated wrapper").isExecutable();
        run(List.of("./mvnw", "-B", "package"), project, Duration.ofMinutes(8), "the project's ./mvnw package");
        assertThat(project.resolve("target/quarkus-app/quarkus-run.jar")).isRegularFile();
        try (var reports = Files.list(project.resolve("target/surefire-reports"))) {
            assertThat(reports.map(p -> p.getFileName().toString()))
                    .as("the project's own test ran").anyMatch(name -> name.endsWith("Test.txt"));
        }

        int port = PackagedRuntime.freePort();
        Path yaml = Path.of(home(find(UP, section, "./surge up")));
        surge = PackagedRuntime.start(yaml, port, PackagedRuntime.freePort(), work.resolve("data"),
                work.resolve("surge.log"));

        Matcher curl = CURL.matcher(section);
        assertThat(curl.find()).as("the README's curl to the function").isTrue();
        HttpRequest.Builder call = HttpRequest.newBuilder(URI.create("http://localhost:" + port + curl.group(1)));
        Matcher header = HEADER.matcher(curl.group(2));
        while (header.find()) {
            call.header(header.group(1), header.group(2));
        }
        String data = find(DATA, curl.group(2), "the curl's data");
        HttpResponse<String> reply = http.send(call.POST(HttpRequest.BodyPublishers.ofString(data)).build(),
                HttpResponse.BodyHandlers.ofString());

        Matcher shown = REPLY.matcher(section);
        assertThat(shown.find()).as("the reply the README shows").isTrue();
        assertThat(reply.statusCode()).as("the function's answer: %s", reply.body()).isEqualTo(200);
        assertThat(reply.headers().firstValue("ce-type")).hasValue(shown.group(1));
        assertThat(new ObjectMapper().readTree(reply.body())).isEqualTo(new ObjectMapper().readTree(shown.group(2)));

        // "Posted to the broker (localhost:8080/default/default) the event gets a 202 and its trigger delivers it."
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/default/default"));
        header = HEADER.matcher(curl.group(2));
        while (header.find()) {
            post.header(header.group(1), header.group(1).equals("ce-id") ? "via-broker" : header.group(2));
        }
        HttpResponse<String> accepted = http.send(post.POST(HttpRequest.BodyPublishers.ofString(data)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as("the broker's answer: %s", accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(surge.isAlive()).as("surge alive, see " + work.resolve("surge.log")).isTrue();
            assertThat(deliveredByTheProjectsTrigger(port)).as("delivered by the project's trigger").isPositive();
        });
    }

    /** The README's {@code ~/work} is the test's own folder. */
    private String home(String command) {
        return command.replace("~/work", work.toString());
    }

    private static String find(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(what + " in the README").isTrue();
        return m.group(1);
    }

    private void run(List<String> command, Path dir, Duration timeout, String what) throws Exception {
        Path log = work.resolve(what.replaceAll("[^a-z]+", "-") + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            assertThat(done).as("%s finished within %s, see %s", what, timeout, log).isTrue();
            assertThat(p.exitValue()).as("%s exit code; its output:%n%s", what, Files.readString(log)).isZero();
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private long deliveredByTheProjectsTrigger(int port) throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/triggers")).build();
        JsonNode triggers = new ObjectMapper().readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
        long delivered = 0;
        for (JsonNode trigger : triggers) {
            delivered += trigger.path("delivered").asLong();
        }
        return delivered;
    }
}
