package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.kafka.EmbeddedKafka;
import dev.surge.kubernetes.api.SurgeCrds;
import dev.surge.kubetest.RealApiServer;
import dev.surge.runtime.testing.PackagedRuntime;
import dev.surge.runtime.testing.TestFiles;
import dev.surge.runtime.testing.ScriptedTarget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code surge status --kubernetes} against a real kube-apiserver whose dispatcher "pods" are two real packaged
 * runtimes in Kubernetes mode (one {@code --roles ingress,dispatcher}, one {@code --roles dispatcher}, both in the
 * triggers' consumer groups), on a real Kafka broker, delivering to a real HTTP target. There is no kubelet here:
 * the test makes the Pod objects with the chart's dispatcher labels and sets their {@code status.podIP} to this
 * machine's own non-loopback address (the API server refuses to proxy to loopback), so the API server's pod proxy
 * reaches the runtimes as it would reach pods. The user is a ServiceAccount bound to exactly the rules the README
 * gives for {@code surge status}.
 */
class StatusOnKubernetesPackagedIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final String APPS = "apps";
    static final String SURGE = "surge";
    static final Path DIR = Path.of("target", "status-on-kubernetes-it").toAbsolutePath();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> DISPATCHER_LABELS = Map.of("app.kubernetes.io/name", "surge",
            "app.kubernetes.io/instance", "surge", "app.kubernetes.io/component", "dispatcher",
            "app.kubernetes.io/part-of", "surge");

    static String podIp;
    static EmbeddedKafka kafka;
    static ScriptedTarget target;
    static Process first;
    static Process second;
    static int firstPort;
    static int secondPort;
    /** The README's rules for surge status, bound to ServiceAccount apps/reader. */
    static String reader;
    /** The same without {@code pods/proxy}, bound to apps/no-proxy. */
    static String noProxy;

    @BeforeAll
    static void start() throws Exception {
        KubernetesClient admin = api.client(); // skips the class here when the API server's binaries are absent
        podIp = nonLoopbackAddress();
        if (podIp == null) {
            String why = "no non-loopback IPv4 address on this machine for the dispatcher pods' status.podIP (the"
                    + " API server does not proxy to loopback)";
            if ("required".equals(System.getenv("SURGE_KUBE_API"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        TestFiles.deleteRecursively(DIR);
        Files.createDirectories(DIR);
        SurgeCrds.install(admin, Duration.ofSeconds(30));
        for (String ns : List.of(APPS, SURGE)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        target = new ScriptedTarget();
        target.script("/refused", attempt -> new ScriptedTarget.Answer(400, 0, "{\"title\":\"not for me\"}"));
        admin.resource("""
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: events, namespace: apps}
                spec: {partitions: 2}
                """).create();
        admin.resource("""
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: ok, namespace: apps}
                spec: {broker: events, filters: [{exact: {type: status.ok}}], uri: "%s"}
                """.formatted(target.url("/ok"))).create();
        admin.resource("""
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: refused, namespace: apps}
                spec: {broker: events, filters: [{exact: {type: status.refused}}], uri: "%s"}
                """.formatted(target.url("/refused"))).create();
        bindReadmeRules(admin);

        kafka = EmbeddedKafka.start(DIR.resolve("kafka"), 0);
        firstPort = PackagedRuntime.freePort();
        secondPort = PackagedRuntime.freePort();
        first = startRuntime("ingress,dispatcher", firstPort, "surge-dispatcher-a");
        second = startRuntime("dispatcher", secondPort, "surge-dispatcher-b");
        pod("surge-dispatcher-a", DISPATCHER_LABELS, firstPort);
        pod("surge-dispatcher-b", DISPATCHER_LABELS, secondPort);
        // The ingress's pod answers /triggers too (this process runs both roles): asked, its counts would be twice.
        Map<String, String> ingress = new TreeMap<>(DISPATCHER_LABELS);
        ingress.put("app.kubernetes.io/component", "ingress");
        pod("surge-ingress-a", ingress, firstPort);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            PackagedRuntime.stop(second);
            PackagedRuntime.stop(first);
        } finally {
            if (target != null) {
                target.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void theCountsAreTheSumsOfTheDispatcherPodsEachSinceItStarted() throws Exception {
        // Both dispatchers hold a partition of each trigger, so each delivers its share.
        await().atMost(Duration.ofSeconds(90)).until(() -> assigned(firstPort) && assigned(secondPort));
        List<String> ok = post("status.ok", 20);
        List<String> refused = post("status.refused", 5);
        await().atMost(Duration.ofSeconds(90)).until(() -> ids("/ok").containsAll(ok)
                && ids("/refused").containsAll(refused));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, StatusReport.TriggerRow> a = direct(firstPort);
            Map<String, StatusReport.TriggerRow> b = direct(secondPort);
            CliRun r = CliRun.run(status(reader), "--kubernetes", "--surge-namespace", SURGE, "-o", "json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            JsonNode report = JSON.readTree(r.out());
            assertThat(report.get("counts").get("known").asBoolean()).isTrue();
            assertThat(report.get("counts").get("since").asText()).isEqualTo("each dispatcher pod's start");
            assertThat(report.get("counts").get("dispatchers").findValuesAsText("pod"))
                    .containsExactly("surge-dispatcher-a", "surge-dispatcher-b");

            JsonNode okRow = row(report, "ok");
            long delivered = a.get("ok").delivered() + b.get("ok").delivered();
            assertThat(okRow.get("delivered").asLong()).isEqualTo(delivered);
            assertThat(delivered).as("every event at least once, each delivery counted by the pod that made it")
                    .isGreaterThanOrEqualTo(ok.size()).isLessThanOrEqualTo(target.arrivals("/ok").size());
            assertThat(a.get("ok").delivered()).as("the first pod's share").isPositive();
            assertThat(b.get("ok").delivered()).as("the second pod's share").isPositive();
            assertThat(okRow.get("inFlight").asInt()).isZero();

            JsonNode refusedRow = row(report, "refused");
            long deadLettered = a.get("refused").deadLettered().getOrDefault("none", 0L)
                    + b.get("refused").deadLettered().getOrDefault("none", 0L);
            assertThat(refusedRow.get("deadLettered").get("none").asLong()).isEqualTo(deadLettered);
            assertThat(deadLettered).isGreaterThanOrEqualTo(refused.size())
                    .isLessThanOrEqualTo(target.arrivals("/refused").size());
            assertThat(refusedRow.get("delivered").asLong()).isZero();
            System.out.printf("surge status: ok delivered %d (%d + %d by the two pods) for %d events; refused"
                    + " dead-lettered %d for %d%n", delivered, a.get("ok").delivered(), b.get("ok").delivered(),
                    ok.size(), deadLettered, refused.size());
        });

        CliRun table = CliRun.run(status(reader), "--kubernetes", "--surge-namespace", SURGE);
        assertThat(table.exitCode()).as(table.err()).isZero();
        long delivered = direct(firstPort).get("ok").delivered() + direct(secondPort).get("ok").delivered();
        assertThat(table.out()).containsPattern("\\n" + APPS + " +ok +events +" + target.url("/ok") + " +- +- +0 +"
                + delivered + " +0 +0\\n")
                .contains("IN FLIGHT, DELIVERED, DEAD-LETTERED and RESTARTS are summed over 2 dispatcher pods"
                        + " (surge/surge-dispatcher-a, surge/surge-dispatcher-b), each counting since it started.");
    }

    @Test
    void withoutPodsProxyTheCountsAreUnknownTheRestPrintsAndOneNoteSaysWhichRightIsMissing() throws Exception {
        CliRun r = CliRun.run(status(noProxy), "--kubernetes", "--surge-namespace", SURGE);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\\n" + APPS + " +ok +events +" + target.url("/ok") + " +- +- +- +- +- +-")
                .contains("are unknown (-): see the note on standard error.");
        assertThat(r.err()).isEqualTo("surge status: trigger counts unknown (-): the cluster refused to get pods/proxy"
                + " in namespace surge (403): the user needs 'get' on pods/proxy there to read the dispatchers'"
                + " counts\n");

        JsonNode json = JSON.readTree(CliRun.run(status(noProxy), "--kubernetes", "--surge-namespace", SURGE, "-o",
                "json").out());
        assertThat(json.get("counts").get("known").asBoolean()).isFalse();
        assertThat(row(json, "ok").has("delivered")).isFalse();
    }

    @Test
    void withoutListingPodsInEveryNamespaceTheNoteNamesTheRightAndTheOption() {
        CliRun r = CliRun.run(status(reader), "--kubernetes");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\\n" + APPS + " +refused +events ");
        assertThat(r.err()).isEqualTo("surge status: trigger counts unknown (-): the cluster refused to list pods in"
                + " any namespace (403): the user needs 'list' on pods there, or give Surge's namespace with"
                + " --surge-namespace\n");
    }

    @Test
    void aDispatcherPodThatDoesNotAnswerIsNamedAndTheCountsAreUnknown() throws Exception {
        int nothingThere = PackagedRuntime.freePort();
        pod("surge-dispatcher-gone", DISPATCHER_LABELS, nothingThere);
        try {
            CliRun r = CliRun.run(status(api.kubeconfig()), "--kubernetes", "--surge-namespace", SURGE);

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).containsPattern("\\n" + APPS + " +ok +events +" + target.url("/ok") + " +- +- +- +- +-");
            assertThat(r.err()).startsWith("surge status: trigger counts unknown (-): dispatcher pod"
                    + " surge/surge-dispatcher-gone did not answer GET /triggers on port " + nothingThere + ": ")
                    .doesNotContain("surge-dispatcher-a").hasLineCount(1);
            System.out.print(r.err());
        } finally {
            api.client().pods().inNamespace(SURGE).withName("surge-dispatcher-gone").withGracePeriod(0).delete();
        }
    }

    // --- helpers

    /** {@code surge status} as a user whose kube config is {@code kubeconfig}. */
    static StatusCommand status(String kubeconfig) {
        StatusCommand c = new StatusCommand();
        c.cluster.clients = (context, timeout) -> ClusterAccess.client(Config.fromKubeconfig(kubeconfig), timeout);
        return c;
    }

    /**
     * Creates the README's ClusterRole and Role for {@code surge status} as they are written there, binds them to
     * ServiceAccount apps/reader, and the same without the {@code pods/proxy} rule to apps/no-proxy.
     */
    static void bindReadmeRules(KubernetesClient admin) throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("test.functions.dir")).resolveSibling("README.md"));
        int start = readme.indexOf("```yaml\n# surge status --kubernetes");
        assertThat(start).as("the README's RBAC of surge status").isPositive();
        String yaml = readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start + 7));
        List<HasMetadata> rules = admin.resourceList(yaml).items();
        assertThat(rules).extracting(HasMetadata::getKind).containsExactly("ClusterRole", "Role");
        admin.resourceList(yaml).create();
        Role withProxy = (Role) rules.get(1);
        Role withoutProxy = new RoleBuilder(withProxy).editMetadata().withName("surge-status-no-proxy").endMetadata()
                .withRules(withProxy.getRules().stream().filter(r -> !r.getResources().contains("pods/proxy")).toList())
                .build();
        admin.rbac().roles().inNamespace(SURGE).resource(withoutProxy).create();
        for (String account : List.of("reader", "no-proxy")) {
            admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                    .withNewMetadata().withName("surge-status-" + account).endMetadata()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                    .withName(rules.get(0).getMetadata().getName()).endRoleRef()
                    .addNewSubject().withKind("ServiceAccount").withNamespace(APPS).withName(account).endSubject()
                    .build()).create();
            admin.rbac().roleBindings().inNamespace(SURGE).resource(new RoleBindingBuilder()
                    .withNewMetadata().withName("surge-status-" + account).endMetadata()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                    .withName(account.equals("reader") ? withProxy.getMetadata().getName()
                            : withoutProxy.getMetadata().getName()).endRoleRef()
                    .addNewSubject().withKind("ServiceAccount").withNamespace(APPS).withName(account).endSubject()
                    .build()).create();
        }
        reader = api.kubeconfigAs(APPS, "reader");
        noProxy = api.kubeconfigAs(APPS, "no-proxy");
    }

    /** A Pod object as helm/surge's Deployment would make it, running at this machine's address on {@code port}. */
    static void pod(String name, Map<String, String> labels, int port) {
        KubernetesClient admin = api.client();
        Pod pod = admin.pods().inNamespace(SURGE).resource(new PodBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("dispatcher").withImage("ghcr.io/surge-dev/surge-runtime:test")
                .addNewPort().withName("http").withContainerPort(port).endPort().endContainer().endSpec()
                .build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(podIp).withPodIPs(new PodIP(podIp))
                .build());
        admin.pods().inNamespace(SURGE).resource(pod).updateStatus();
    }

    /** The packaged runtime in Kubernetes mode with {@code roles}, listening on every address (as in a pod). */
    static Process startRuntime(String roles, int port, String instance) throws Exception {
        Path log = DIR.resolve(instance + ".log");
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                System.getProperty("surge.runtime.jar"), "up", "--resources", "kubernetes", "--roles", roles,
                "--host", "0.0.0.0", "--port", String.valueOf(port), "--data-dir", DIR.resolve(instance).toString(),
                "--kafka-bootstrap-servers", kafka.bootstrapServers());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", api.kubeconfigFile().toString());
        builder.environment().put("SURGE_INSTANCE_ID", instance); // the pod's name, as the chart sets it
        builder.environment().put("SURGE_ADMIN_OPEN_READS", "true"); // as the chart sets it for dispatchers
        Process p = builder.start();
        try {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(p.isAlive()).as(instance + " alive, see " + log).isTrue();
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

    /** Whether the runtime on {@code port} holds a partition of both triggers. */
    static boolean assigned(int port) throws Exception {
        JsonNode triggers = JSON.readTree(get(port, "/triggers"));
        int holding = 0;
        for (JsonNode t : triggers) {
            holding += t.get("assignedPartitions").isEmpty() ? 0 : 1;
        }
        return triggers.size() == 2 && holding == 2;
    }

    /** The runtime's own {@code GET /triggers}, by trigger name, read as {@code surge status} reads it. */
    static Map<String, StatusReport.TriggerRow> direct(int port) throws Exception {
        Map<String, StatusReport.TriggerRow> rows = new TreeMap<>();
        LocalStatus.triggers(JSON.readTree(get(port, "/triggers"))).forEach(t -> rows.put(t.name(), t));
        return rows;
    }

    static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** Posts {@code count} events of {@code type}, each with a partition key of its own, to the ingress. */
    static List<String> post(String type, int count) {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, count).forEach(i -> {
            String id = type + "-" + UUID.randomUUID();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + firstPort + "/" + APPS
                            + "/events"))
                    .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/status-it")
                    .header("ce-type", type).header("ce-partitionkey", id).header("content-type", "application/json")
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
            ids.add(id);
        });
        return ids;
    }

    static List<String> ids(String path) {
        return target.arrivals(path).stream().map(ScriptedTarget.Arrival::id).toList();
    }

    static JsonNode row(JsonNode report, String trigger) {
        for (JsonNode t : report.get("triggers")) {
            if (t.get("name").asText().equals(trigger)) {
                return t;
            }
        }
        throw new AssertionError("no trigger " + trigger + " in " + report);
    }

    /** This machine's first IPv4 address that is neither loopback nor link-local, or null. */
    static String nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .map(InetAddress::getHostAddress).findFirst().orElse(null);
    }

}
