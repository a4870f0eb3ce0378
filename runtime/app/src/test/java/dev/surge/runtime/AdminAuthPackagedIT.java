package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.runtime.testing.PackagedRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The packaged {@code surge up} with an admin policy ({@code SURGE_ADMIN_AUTH_FILE}, mode tokens): the admin and
 * status endpoints need its token also from this machine, {@code surge status --token} reads them, an edited token
 * file counts without a restart, and a broker's own policy (open) is not the admin's.
 */
class AdminAuthPackagedIT {
    static final String FIRST = "admin-token-first-0123456789";
    static final String SECOND = "admin-token-second-0123456789";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path dir = Path.of("target", "admin-auth-it-" + System.nanoTime()).toAbsolutePath();
    private Process runtime;

    @AfterEach
    void stop() throws Exception {
        PackagedRuntime.stop(runtime);
    }

    @Test
    void theAdminEndpointsNeedTheAdminPolicysTokenAndTheBrokerItsOwn() throws Exception {
        Files.createDirectories(dir);
        Path yaml = dir.resolve("surge.yaml");
        Files.writeString(yaml, """
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: orders, namespace: shop}
                spec: {ingress: {auth: {mode: open}}}
                """);
        Files.writeString(dir.resolve("admin.tokens"), FIRST + "\n");
        Path policy = dir.resolve("admin-auth.yaml");
        Files.writeString(policy, "mode: tokens\ntokens: {file: admin.tokens}\n");
        int port = PackagedRuntime.freePort();
        runtime = PackagedRuntime.start(yaml, port, dir.resolve("data"), dir.resolve("runtime.log"),
                Map.of("SURGE_ADMIN_AUTH_FILE", policy.toString()), "--kafka-port",
                String.valueOf(PackagedRuntime.freePort()));
        String url = "http://localhost:" + port;

        HttpResponse<String> anonymous = get(url + "/brokers", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"surge-admin\"");
        assertThat(get(url + "/triggers", "not-the-admin-token-at-all").statusCode()).isEqualTo(401);
        assertThat(get(url + "/brokers", FIRST).statusCode()).isEqualTo(200);
        assertThat(get(url + "/q/health/ready", null).statusCode()).isEqualTo(200);
        // The guard comes before the route: no token, no word on whether the function exists.
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/functions/shop/nobody"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);

        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/shop/orders")).header("ce-specversion", "1.0")
                .header("ce-id", "1").header("ce-source", "/admin-it").header("ce-type", "test.admin")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("the broker is open: the admin policy is not its").isEqualTo(202);

        String[] status = surge("status", "--url", url, "--token", FIRST);
        assertThat(status[0]).as(status[2]).isEqualTo("0");
        assertThat(status[1]).contains("shop", "orders");
        String[] refused = surge("status", "--url", url);
        assertThat(refused[0]).isEqualTo("3");
        assertThat(refused[2]).contains("401");

        Files.writeString(dir.resolve("admin.tokens"), SECOND + "\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> get(url + "/brokers", SECOND).statusCode() == 200);
        assertThat(get(url + "/brokers", FIRST).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return exit code, standard output, standard error */
    private static String[] surge(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Main.Surge());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }
}
