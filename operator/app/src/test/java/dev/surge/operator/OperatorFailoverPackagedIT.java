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
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas of the packaged operator (two child processes, one ServiceAccount bound to the chart's rules, as two
 * pods of one Deployment) with leader election on, against a real kube-apiserver 1.20.2: one holds the Lease and
 * reconciles, the other waits (ready, reconciling nothing); the leader is killed (SIGKILL: no Lease released,
 * as when its node dies) and the other takes the Lease once it expires and reconciles a Function created after.
 */
class OperatorFailoverPackagedIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final String SYSTEM = "surge-system";
    static final String NS = "apps";
    static final Path DIR = Path.of("target", "operator-failover-it").toAbsolutePath();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static KubernetesClient admin;
    static EmbeddedKafka kafka;
    static Path kubeconfig;
    static Replica first;
    static Replica second;

    /** One operator process; its Lease identity is its HOSTNAME, as in a pod (the pod's name). */
    record Replica(String identity, Process process, int port) {
        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        int status(String path) {
            try {
                return get(path).statusCode();
            } catch (IOException notListeningYet) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        /** Reconciliations of Functions this process started, from its /q/metrics (JOSDK's counter); 0 if none. */
        double functionReconciliations() throws IOException, InterruptedException {
            double sum = 0;
            for (String line : get("/q/metrics").body().lines().toList()) {
                // JOSDK tags it with the resource's kind (group, version, kind), not the controller's name
                if (line.startsWith("operator_sdk_reconciliations_started_total") && line.contains("kind=\"Function\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }

        void stop() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        OperatorIT.deleteRecursively(DIR);
        Files.createDirectories(DIR);
        admin = api.client();
        SurgeCrds.install(admin, Duration.ofSeconds(60));
        for (String ns : List.of(SYSTEM, NS)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        OperatorRbac.bind(admin, SYSTEM, "surge-operator");
        kubeconfig = DIR.resolve("kubeconfig");
        Files.writeString(kubeconfig, OperatorAppPackagedIT.serviceAccountKubeconfig(admin.getConfiguration(),
                api.serviceAccountToken(SYSTEM, "surge-operator")));
        kafka = EmbeddedKafka.start(DIR.resolve("kafka"), 0);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (Replica r : new Replica[] {first, second}) {
                if (r != null) {
                    r.stop();
                }
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    static Replica startReplica(String identity) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String jar = System.getProperty("surge.operator.jar");
        assertThat(jar).as("system property surge.operator.jar (set by failsafe)").isNotNull();
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-jar", jar).redirectErrorStream(true)
                .redirectOutput(DIR.resolve(identity + ".log").toFile());
        builder.environment().put("HOSTNAME", identity);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("SURGE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("SURGE_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", SYSTEM);
        return new Replica(identity, builder.start(), port);
    }

    static String holder() {
        Lease lease = admin.leases().inNamespace(SYSTEM).withName("surge-operator").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    static void createFunction(String name) {
        Function f = new Function();
        f.getMetadata().setName(name);
        f.getMetadata().setNamespace(NS);
        FunctionSpec spec = new FunctionSpec();
        spec.setImage("ghcr.io/acme/" + name + ":1.0");
        spec.setScaling(new FunctionScaling());
        f.setSpec(spec);
        f.setStatus(null);
        admin.resource(f).create();
    }

    static boolean deployed(String name) {
        return admin.apps().deployments().inNamespace(NS).withName(name).get() != null;
    }

    @Test
    void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItDies() throws Exception {
        first = startReplica("operator-a");
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(first.process().isAlive()).as("operator-a alive, see " + DIR).isTrue();
            return first.status("/q/health/ready") == 200;
        });
        assertThat(holder()).isEqualTo("operator-a");

        second = startReplica("operator-b");
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(second.process().isAlive()).as("operator-b alive, see " + DIR).isTrue();
            return second.status("/q/health/live") == 200;
        });
        createFunction("before");
        await().atMost(Duration.ofSeconds(60)).until(() -> deployed("before"));
        await().atMost(Duration.ofSeconds(30)).until(() -> first.functionReconciliations() > 0);
        // the follower reconciled nothing and holds nothing; it is ready (a rolling update waits for new pods to
        // be ready, and a new pod is a follower until the old leader goes)
        assertThat(second.functionReconciliations()).isZero();
        assertThat(second.status("/q/health/ready")).isEqualTo(200);
        assertThat(holder()).isEqualTo("operator-a");

        long killed = System.nanoTime();
        first.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> "operator-b".equals(holder()));
        long tookOver = System.nanoTime();
        createFunction("after");
        await().atMost(Duration.ofSeconds(60)).until(() -> deployed("after"));
        long reconciled = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.functionReconciliations() > 0);
        assertThat(second.process().isAlive()).isTrue();
        System.out.printf("failover: Lease taken %d ms after the leader was killed (lease duration 15 s);"
                + " a new Function's Deployment %d ms after that%n", (tookOver - killed) / 1_000_000,
                (reconciled - tookOver) / 1_000_000);
    }
}
