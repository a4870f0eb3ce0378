package dev.surge.runtime.kubernetes;

import static dev.surge.runtime.kubernetes.Documents.broker;
import static dev.surge.runtime.kubernetes.Documents.function;
import static dev.surge.runtime.kubernetes.Documents.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.kafka.EmbeddedKafka;
import dev.surge.kubernetes.api.SurgeCrds;
import dev.surge.kubetest.RealApiServer;
import dev.surge.runtime.testing.PackagedRuntime;
import dev.surge.runtime.testing.TestFiles;
import dev.surge.runtime.testing.RecordingSink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged runtime in Kubernetes mode against a real kube-apiserver and a real Kafka broker: an ingress
 * process and a dispatcher process, each under a ServiceAccount of its own bound to exactly the rules the chart
 * ships ({@code helm/surge/files/rbac/}), so a verb missing there fails these tests. Resources are created,
 * changed and deleted in the cluster by the test (as a user with kubectl), events posted to the ingress, and
 * deliveries recorded by a real HTTP sink.
 */
class KubernetesModePackagedIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final String NS = "apps";
    static final String SYSTEM = "surge-system";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Path DIR = Path.of("target", "kubernetes-mode-it").toAbsolutePath();
    static final ResourceDefinitionContext FUNCTIONS = ClusterResources.Kind.FUNCTION.context;
    static final ResourceDefinitionContext TRIGGERS = ClusterResources.Kind.TRIGGER.context;

    static EmbeddedKafka kafka;
    static RecordingSink sink;
    static Process ingress;
    static Process dispatcher;
    static int ingressPort;
    static int dispatcherPort;
    static final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        TestFiles.deleteRecursively(DIR);
        Files.createDirectories(DIR);
        KubernetesClient admin = api.client();
        SurgeCrds.install(admin, Duration.ofSeconds(30));
        for (String ns : List.of(NS, SYSTEM)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        admin.genericKubernetesResources(ClusterResources.Kind.BROKER.context).inNamespace(NS)
                .resource(broker(NS, "events")).create();

        kafka = EmbeddedKafka.start(DIR.resolve("kafka"), 0);
        sink = new RecordingSink();
        ingressPort = PackagedRuntime.freePort();
        dispatcherPort = PackagedRuntime.freePort();
        ingress = startRuntime("ingress", ingressPort);
        dispatcher = startRuntime("dispatcher", dispatcherPort);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            PackagedRuntime.stop(dispatcher);
            PackagedRuntime.stop(ingress);
        } finally {
            if (sink != null) {
                sink.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void aTriggerCreatedInTheClusterDeliversAndAChangedFilterApplies() {
        create(trigger(NS, "follow", "broker: events\nfilters: [{exact: {type: k8s.a}}]\nuri: " + sink.url("/follow")));
        List<String> before = post("k8s.a", "follow-before", 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds("/follow").containsAll(before));

        triggers().withName("follow").edit(t -> {
            t.setAdditionalProperty("spec", Map.of("broker", "events", "uri", sink.url("/follow"),
                    "filters", List.of(Map.of("exact", Map.of("type", "k8s.b")))));
            return t;
        });
        // Events posted before the dispatcher restarted with the new filter were passed over by the old one: post
        // markers until the new filter delivers one.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            post("k8s.b", "marker", 1);
            return receivedTypes("/follow").contains("k8s.b");
        });
        List<String> oldType = new ArrayList<>();
        List<String> newType = new ArrayList<>();
        // One partition key: the dispatcher reads them in this order, so once every k8s.b is delivered, every
        // k8s.a between them was passed over.
        for (int i = 0; i < 20; i++) {
            oldType.addAll(post("k8s.a", "after", 1));
            newType.addAll(post("k8s.b", "after", 1));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds("/follow").containsAll(newType));
        List<String> received = receivedIds("/follow");
        assertThat(received).doesNotContainAnyElementsOf(oldType);
        long duplicates = newType.stream().mapToLong(id -> received.stream().filter(id::equals).count() - 1).sum();
        System.out.printf("changed filter: %d new-type events delivered, %d duplicates, 0 of %d old-type%n",
                newType.size(), duplicates, oldType.size());
    }

    @Test
    void withSurgeLogJsonEveryLineOfTheLogIsAJsonObjectACollectorCanRead() throws Exception {
        List<String> lines = Files.readAllLines(DIR.resolve("ingress.log")).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            JsonNode record = json.readTree(line);
            assertThat(record.isObject()).as("a JSON object: %s", line).isTrue();
            assertThat(record.hasNonNull("timestamp") && record.hasNonNull("level") && record.hasNonNull("loggerName")
                    && record.hasNonNull("message")).as("timestamp, level, loggerName, message: %s", line).isTrue();
            records.add(record);
        }
        assertThat(records).anySatisfy(r -> assertThat(r.get("loggerName").asText()).startsWith("dev.surge."));
    }

    @Test
    void aDeletedTriggerStops() throws Exception {
        create(trigger(NS, "going", "broker: events\nfilters: [{exact: {type: k8s.c}}]\nuri: " + sink.url("/going")));
        create(trigger(NS, "staying", "broker: events\nfilters: [{exact: {type: k8s.c}}]\nuri: "
                + sink.url("/staying")));
        List<String> first = post("k8s.c", "first", 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds("/going").containsAll(first)
                && receivedIds("/staying").containsAll(first));

        triggers().withName("going").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> triggerStatus("going") == 404);
        List<String> later = post("k8s.c", "later", 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds("/staying").containsAll(later));
        assertThat(receivedIds("/going")).doesNotContainAnyElementsOf(later);
    }

    @Test
    void anInvalidTriggerIsLeftOutWhileAValidOneDelivers() throws Exception {
        create(trigger(NS, "bad-sql", "broker: events\nfilters: [{cesql: \"type =\"}]\nuri: " + sink.url("/bad-sql")));
        create(trigger(NS, "orphan", "broker: events\nfunction: ghost"));
        create(trigger(NS, "valid", "broker: events\nfilters: [{exact: {type: k8s.d}}]\nuri: " + sink.url("/valid")));

        List<String> events = post("k8s.d", "valid", 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds("/valid").containsAll(events));
        assertThat(triggerStatus("valid")).isEqualTo(200);
        assertThat(triggerStatus("bad-sql")).isEqualTo(404);
        assertThat(triggerStatus("orphan")).isEqualTo(404);
        assertThat(sink.received("/bad-sql")).isEmpty();
        String log = Files.readString(DIR.resolve("dispatcher.log"));
        assertThat(occurrences(log, "Trigger apps/bad-sql cannot be used")).isEqualTo(1);
        assertThat(log).contains("Trigger apps/bad-sql: spec.filters[0].cesql: ");
        assertThat(log).contains("Trigger apps/orphan: spec.function: ");
    }

    @Test
    void anEventForAFunctionAtZeroAsksForAReplicaAndIsDeliveredOnceOneIsReady() {
        create(function(NS, "fn", "image: ghcr.io/acme/fn:1\nport: " + sink.port()));
        create(trigger(NS, "to-fn", "broker: events\nfilters: [{exact: {type: k8s.e}}]\nfunction: fn"));
        List<String> events = post("k8s.e", "fn", 1);

        String requested = await().atMost(Duration.ofSeconds(60)).until(
                () -> functions().withName("fn").get().getMetadata().getAnnotations()
                        .get(FunctionActivations.ANNOTATION), a -> a != null);
        assertThat(OffsetDateTime.parse(requested)).isNotNull(); // RFC 3339
        assertThat(sink.received("/functions/apps/fn")).isEmpty();

        // What the operator does once the Deployment has a ready pod.
        GenericKubernetesResource fn = functions().withName("fn").get();
        fn.setAdditionalProperty("status", Map.of("replicas", 1, "readyReplicas", 1));
        functions().resource(fn).updateStatus();
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds("/functions/apps/fn").containsAll(events));
    }

    @Test
    void aBrokerTakesTheTokensOfItsSecretAndAnEditedSecretCountsWithoutARestart() throws Exception {
        KubernetesClient admin = api.client();
        String first = "secured-first-0123456789";
        String second = "secured-second-0123456789";
        admin.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("secured-tokens").endMetadata().addToStringData("tokens", first + "\n").build()).create();
        create(Documents.resource("Broker", NS, "secured", "ingress: {auth: {mode: tokens, tokens: {secretRef: "
                + "{name: secured-tokens, key: tokens}}}}"));
        await().atMost(Duration.ofSeconds(60)).until(() -> postTo("secured", first) == 202);
        assertThat(postTo("secured", null)).isEqualTo(401);
        assertThat(postTo("secured", second)).isEqualTo(401);

        admin.secrets().inNamespace(NS).withName("secured-tokens").edit(secret -> {
            secret.setData(Map.of("tokens", java.util.Base64.getEncoder().encodeToString((second + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            return secret;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> postTo("secured", second) == 202);
        assertThat(postTo("secured", first)).isEqualTo(401);
    }

    /** Posts one event to {@code broker} with {@code token} (none when null); returns the status. */
    static int postTo(String broker, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + ingressPort + "/" + NS
                + "/" + broker)).header("ce-specversion", "1.0").header("ce-id", "auth-" + ids.incrementAndGet())
                .header("ce-source", "/k8s-it").header("ce-type", "k8s.auth").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // --- helpers

    /** The packaged runtime with one role, authenticated as ServiceAccount surge-system/surge-ROLE. */
    static Process startRuntime(String role, int port) throws Exception {
        KubernetesClient admin = api.client();
        ClusterRole rules = admin.rbac().clusterRoles()
                .load(Path.of(System.getProperty("surge.rbac.dir"), role + ".yaml").toFile()).item();
        admin.rbac().clusterRoles().resource(rules).create();
        String account = "surge-" + role;
        String token = api.serviceAccountToken(SYSTEM, account);
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(account).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName(rules.getMetadata().getName()).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withNamespace(SYSTEM).withName(account).endSubject()
                .build()).create();
        Path kubeconfig = DIR.resolve(role + ".kubeconfig");
        Files.writeString(kubeconfig, kubeconfig(admin.getConfiguration(), token));
        Path log = DIR.resolve(role + ".log");
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dsurge.kubernetes.function-url=http://127.0.0.1:{port}/functions/{namespace}/{function}",
                "-jar", System.getProperty("surge.runtime.jar"), "up", "--resources", "kubernetes",
                "--roles", role, "--port", String.valueOf(port), "--data-dir", DIR.resolve(role).toString(),
                "--kafka-bootstrap-servers", kafka.bootstrapServers());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        // As helm/surge runs them: the ingress logs JSON (checked below), the dispatcher plain lines.
        builder.environment().put("SURGE_LOG_JSON", String.valueOf(role.equals("ingress")));
        Process p = builder.start();
        try {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(p.isAlive()).as(role + " alive, see " + log).isTrue();
                try {
                    return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (RuntimeException | Error e) {
            PackagedRuntime.stop(p);
            throw e;
        }
        return p;
    }

    /** A kubeconfig with the API server of {@code admin} and nothing but the ServiceAccount's token. */
    static String kubeconfig(Config admin, String token) {
        String ca = admin.getCaCertFile() != null ? "    certificate-authority: " + admin.getCaCertFile() + "\n"
                : "    certificate-authority-data: " + admin.getCaCertData() + "\n";
        return "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: " + admin.getMasterUrl()
                + "\n" + ca + "users:\n- name: sa\n  user:\n    token: " + token + "\ncontexts:\n- name: test\n"
                + "  context: {cluster: test, user: sa, namespace: " + SYSTEM + "}\ncurrent-context: test\n";
    }

    static void create(GenericKubernetesResource r) {
        api.client().genericKubernetesResources(ResourceDefinitionContext.fromResourceType(
                switch (r.getKind()) {
                    case "Broker" -> dev.surge.kubernetes.api.Broker.class;
                    case "Function" -> dev.surge.kubernetes.api.Function.class;
                    default -> dev.surge.kubernetes.api.Trigger.class;
                })).inNamespace(NS).resource(r).create();
    }

    static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> triggers() {
        return api.client().genericKubernetesResources(TRIGGERS).inNamespace(NS);
    }

    static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> functions() {
        return api.client().genericKubernetesResources(FUNCTIONS).inNamespace(NS);
    }

    /** Posts {@code count} binary-mode events of {@code type} to the ingress (202 each); returns their ids. */
    static List<String> post(String type, String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            String id = prefix + "-" + ids.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + ingressPort + "/" + NS + "/events"))
                    .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/k8s-it")
                    .header("ce-type", type).header("ce-partitionkey", "one-key")
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return id;
        }).toList();
    }

    /** The dispatcher's GET /triggers/apps/NAME: 200 while the trigger runs, 404 when it does not. */
    static int triggerStatus(String name) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + dispatcherPort + "/triggers/" + NS
                + "/" + name)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static List<String> receivedIds(String path) {
        return sink.received(path).stream().map(r -> r.headers().get("ce-id")).toList();
    }

    static List<String> receivedTypes(String path) {
        return sink.received(path).stream().map(r -> r.headers().get("ce-type")).toList();
    }

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

}
