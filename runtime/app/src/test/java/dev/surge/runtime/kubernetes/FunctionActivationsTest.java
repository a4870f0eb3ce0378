package dev.surge.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the dispatcher sends to the API server to ask for a replica: exactly one request, a JSON merge patch of the
 * annotation, with no read before it (so its Role needs {@code patch} and not {@code get}). A plain HTTP server
 * stands in for the API server and records every request; KubernetesModePackagedIT shows the same under the
 * dispatcher's Role on the real one.
 */
class FunctionActivationsTest {
    record Request(String method, String path, String contentType, String body) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            byte[] answer = ("{\"apiVersion\":\"surge.dev/v1alpha1\",\"kind\":\"Function\",\"metadata\":"
                    + "{\"name\":\"packer\",\"namespace\":\"shop\",\"resourceVersion\":\"7\"},"
                    + "\"spec\":{\"image\":\"ghcr.io/acme/packer:1\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void anActivationRequestIsOneMergePatchOfTheAnnotationWithNoReadBeforeIt() {
        Instant at = Instant.parse("2026-11-01T10:00:00.123456Z");
        try (FunctionActivations activations = new FunctionActivations(client, Clock.fixed(at, ZoneOffset.UTC),
                Duration.ofSeconds(1))) {
            activations.request("shop", "packer");
            await().atMost(Duration.ofSeconds(30)).until(() -> requests.stream().anyMatch(r -> r.method()
                    .equals("PATCH")));
        }
        assertThat(requests).containsExactly(new Request("PATCH",
                "/apis/surge.dev/v1alpha1/namespaces/shop/functions/packer", "application/merge-patch+json",
                "{\"metadata\":{\"annotations\":{\"surge.dev/activation-requested-at\":\"2026-11-01T10:00:00.123Z\"}}}"));
    }
}
