package dev.surge.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.kafka.EmbeddedKafka;
import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.FunctionScaling;
import dev.surge.kubernetes.api.FunctionSpec;
import dev.surge.kubernetes.api.SurgeCrds;
import dev.surge.kubetest.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged operator (target/quarkus-app, as its container image will run it) started as a child process with
 * {@code KUBECONFIG} pointing at a real kube-apiserver 1.20.2 and a ServiceAccount token bound to exactly the chart's
 * rules, with leader election on: it becomes ready once its informers are synced, answers {@code /q/metrics} with
 * JOSDK's and its own meters, and reconciles.
 */
class OperatorAppPackagedIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final String SYSTEM = "surge-system";
    static final Path DIR = Path.of("target", "operator-app-it").toAbsolutePath();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static KubernetesClient admin;
    static EmbeddedKafka kafka;
    static Process operator;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        OperatorIT.deleteRecursively(DIR);
        Files.createDirectories(DIR);
        admin = api.client();
        SurgeCrds.install(admin, Duration.ofSeconds(60));
        for (String ns : List.of(SYSTEM, "apps")) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        OperatorRbac.bind(admin, SYSTEM, "surge-operator");
        Path kubeconfig = DIR.resolve("kubeconfig");
        Files.writeString(kubeconfig, serviceAccountKubeconfig(admin.getConfiguration(),
                api.serviceAccountToken(SYSTEM, "surge-operator")));

        kafka = EmbeddedKafka.start(DIR.resolve("kafka"), 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String jar = System.getProperty("surge.operator.jar");
        assertThat(jar).as("system property surge.operator.jar (set by failsafe)").isNotNull();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(DIR.resolve("operator.log").toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("SURGE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("SURGE_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", SYSTEM);
        builder.environment().put("SURGE_LOG_JSON", "true");
        operator = builder.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (operator != null && operator.isAlive()) {
                operator.destroy();
                if (!operator.waitFor(20, TimeUnit.SECONDS)) {
                    operator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    /** A kubeconfig as `kubectl config` writes for a ServiceAccount: the server, its CA, the account's token. */
    static String serviceAccountKubeconfig(Config adminConfig, String token) {
        String ca = adminConfig.getCaCertFile() != null
                ? "certificate-authority: " + adminConfig.getCaCertFile()
                : "certificate-authority-data: " + adminConfig.getCaCertData();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: test
                    cluster: {server: "%s", %s}
                users:
                  - name: surge-operator
                    user: {token: "%s"}
                contexts:
                  - name: surge-operator
                    context: {cluster: test, user: surge-operator, namespace: %s}
                current-context: surge-operator
                """.formatted(adminConfig.getMasterUrl(), ca, token, SYSTEM);
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void becomesReadyWithItsInformersSyncedServesMetricsAndReconciles() throws Exception {
        HttpResponse<String> ready = await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(operator.isAlive()).as("operator alive, see " + DIR.resolve("operator.log")).isTrue();
            try {
                return get("/q/health/ready");
            } catch (IOException notListeningYet) {
                return null;
            }
        }, r -> r != null && r.statusCode() == 200);
        assertThat(ready.body()).contains("\"surge-operator\"").contains("\"UP\"");

        Function f = new Function();
        f.getMetadata().setName("hello");
        f.getMetadata().setNamespace("apps");
        FunctionSpec spec = new FunctionSpec();
        spec.setImage("ghcr.io/acme/hello:1.0");
        spec.setScaling(new FunctionScaling());
        f.setSpec(spec);
        f.setStatus(null);
        admin.resource(f).create();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> admin.apps().deployments().inNamespace("apps").withName("hello").get(), d -> d != null);

        // the holder of the Lease is this process (leader election under the chart's Role)
        assertThat(admin.leases().inNamespace(SYSTEM).withName("surge-operator").get().getSpec().getHolderIdentity())
                .isNotBlank();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> metrics = get("/q/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            // JOSDK's meters (micrometer-support) for the Function controller, and the JVM's
            assertThat(metrics.body()).contains("operator_sdk_reconciliations_")
                    .contains("controller=\"function\"")
                    .contains("jvm_memory_used_bytes");
        });
        assertThat(get("/q/health/live").statusCode()).isEqualTo(200);
    }
}
