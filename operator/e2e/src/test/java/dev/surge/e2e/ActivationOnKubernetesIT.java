package dev.surge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.kafka.EmbeddedKafka;
import dev.surge.kubernetes.api.SurgeApi;
import dev.surge.kubernetes.api.SurgeCrds;
import dev.surge.kubetest.ChildJvms;
import dev.surge.kubetest.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Activation on Kubernetes end to end, with everything Surge runs there: the packaged runtime as an ingress and a
 * dispatcher (Kubernetes mode) and the packaged operator (leader election on), three child processes each under a
 * ServiceAccount bound to exactly its rules in {@code helm/surge/files/rbac/}, against a real kube-apiserver 1.20.2
 * and an embedded Kafka. For each of N Functions at zero (polled once, then not for an hour, so only the
 * activation path can start them) one matching event is posted; measured: from the ingress's 202 to the
 * Deployment's {@code spec.replicas} = 1 as a watch delivers it (and on the way, when the dispatcher's annotation
 * arrives). Printed, not asserted: timings on a shared 2-core machine; docs/benchmarks.md keeps the figures.
 */
class ActivationOnKubernetesIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final String NS = "apps";
    static final String SYSTEM = "surge-system";
    static final Path DIR = Path.of("target", "activation-e2e").toAbsolutePath();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final int TRIES = Integer.getInteger("surge.activation.tries", 10);

    static KubernetesClient admin;
    static EmbeddedKafka kafka;
    static ChildJvms jvms;
    static int ingressPort;
    static int dispatcherPort;

    @BeforeAll
    static void start() throws Exception {
        deleteRecursively(DIR);
        Files.createDirectories(DIR);
        admin = api.client();
        SurgeCrds.install(admin, Duration.ofSeconds(60));
        for (String ns : List.of(SYSTEM, NS)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        kafka = EmbeddedKafka.start(DIR.resolve("kafka"), 0);
        jvms = new ChildJvms(DIR);

        int operatorPort = freePort();
        Process operator = start("operator", List.of("-jar", System.getProperty("surge.operator.jar")), Map.of(
                "SURGE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_HTTP_PORT", String.valueOf(operatorPort),
                "SURGE_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", SYSTEM,
                "HOSTNAME", "operator-0"));
        awaitReady("operator", operator, operatorPort);
        create(document("Broker", "events", "partitions: 3"));
        // its topic made by the operator before the runtime looks for it
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            GenericKubernetesResource b = admin.genericKubernetesResources(context("Broker")).inNamespace(NS)
                    .withName("events").get();
            Object status = b.getAdditionalProperties().get("status");
            return status instanceof Map<?, ?> m && m.get("conditions") instanceof List<?> c && c.stream()
                    .anyMatch(x -> x instanceof Map<?, ?> r && "Ready".equals(r.get("type"))
                            && "True".equals(r.get("status")));
        });

        ingressPort = freePort();
        dispatcherPort = freePort();
        for (String role : List.of("ingress", "dispatcher")) {
            int port = role.equals("ingress") ? ingressPort : dispatcherPort;
            List<String> args = new ArrayList<>();
            // e.g. -Dsurge.kafka.client."fetch.max.wait.ms"=500, to see what the dispatcher's settings cost
            String extra = System.getProperty("surge.activation." + role + "-jvm-options", "").trim();
            if (!extra.isEmpty()) {
                args.addAll(List.of(extra.split("\\s+")));
            }
            args.addAll(List.of("-jar", System.getProperty("surge.runtime.jar"), "up", "--resources",
                    "kubernetes", "--roles", role, "--port", String.valueOf(port), "--data-dir",
                    DIR.resolve(role).toString(), "--kafka-bootstrap-servers", kafka.bootstrapServers()));
            Process p = start(role, args, Map.of());
            awaitReady(role, p, port);
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (jvms != null) {
                jvms.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void anEventForAFunctionAtZeroScalesItsDeploymentToOne() throws Exception {
        for (int i = 0; i < TRIES; i++) {
            create(document("Function", "wake-" + i, """
                    image: ghcr.io/acme/wake:1.0
                    port: 8080
                    scaling: {minReplicas: 0, maxReplicas: 3, pollingInterval: PT1H}"""));
            create(document("Trigger", "to-wake-" + i, """
                    broker: events
                    filter: {attributes: {type: e2e.wake.%d}}
                    function: wake-%d""".formatted(i, i)));
        }
        for (int i = 0; i < TRIES; i++) {
            String name = "wake-" + i;
            String trigger = "to-wake-" + i;
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                Deployment d = admin.apps().deployments().inNamespace(NS).withName(name).get();
                return d != null && d.getSpec().getReplicas() == 0;
            });
            // the dispatcher runs the Trigger (it has its Broker and its Function): an event would be taken at once
            await().atMost(Duration.ofSeconds(120)).until(() -> status("http://127.0.0.1:" + dispatcherPort
                    + "/triggers/" + NS + "/" + trigger) == 200);
        }

        Map<String, CompletableFuture<Long>> scaled = new ConcurrentHashMap<>();
        Map<String, CompletableFuture<Long>> annotated = new ConcurrentHashMap<>();
        for (int i = 0; i < TRIES; i++) {
            scaled.put("wake-" + i, new CompletableFuture<>());
            annotated.put("wake-" + i, new CompletableFuture<>());
        }
        List<Long> toReplicas = new ArrayList<>(); // 202 → spec.replicas 1
        List<Long> toAnnotation = new ArrayList<>(); // 202 → the dispatcher's annotation stored
        List<Long> annotationToReplicas = new ArrayList<>();
        try (Watch deployments = admin.apps().deployments().inNamespace(NS).watch(watcher(d -> {
            Integer r = d.getSpec().getReplicas();
            if (r != null && r >= 1 && scaled.containsKey(d.getMetadata().getName())) {
                scaled.get(d.getMetadata().getName()).complete(System.nanoTime());
            }
        })); Watch functions = admin.genericKubernetesResources(context("Function")).inNamespace(NS).watch(watcher(f -> {
            Map<String, String> a = f.getMetadata().getAnnotations();
            if (a != null && a.containsKey(SurgeApi.ACTIVATION_REQUESTED_AT)
                    && annotated.containsKey(f.getMetadata().getName())) {
                annotated.get(f.getMetadata().getName()).complete(System.nanoTime());
            }
        }))) {
            for (int i = 0; i < TRIES; i++) {
                String name = "wake-" + i;
                long accepted = post("e2e.wake." + i, "event-" + i);
                long replicas = scaled.get(name).get(60, TimeUnit.SECONDS);
                long annotation = annotated.get(name).get(1, TimeUnit.SECONDS);
                toReplicas.add((replicas - accepted) / 1000);
                toAnnotation.add((annotation - accepted) / 1000);
                annotationToReplicas.add((replicas - annotation) / 1000);
            }
        }
        System.out.println("activation on Kubernetes, " + TRIES + " Functions at zero (packaged ingress, dispatcher"
                + " and operator; real kube-apiserver 1.20.2; embedded Kafka):");
        System.out.println("  202 at the ingress -> Deployment spec.replicas=1: " + summary(toReplicas));
        System.out.println("    202 -> activation annotation stored (dispatcher): " + summary(toAnnotation));
        System.out.println("    annotation -> spec.replicas=1 (operator):       " + summary(annotationToReplicas));
        for (int i = 0; i < TRIES; i++) {
            Deployment d = admin.apps().deployments().inNamespace(NS).withName("wake-" + i).get();
            assertThat(d.getSpec().getReplicas()).as("wake-" + i).isEqualTo(1);
        }
    }

    // --- helpers

    /** A child JVM authenticated as ServiceAccount surge-system/surge-ROLE, bound to exactly ROLE.yaml's rules. */
    static Process start(String role, List<String> args, Map<String, String> env) throws Exception {
        String account = "surge-" + role;
        bind(role, account);
        Path kubeconfig = DIR.resolve(role + ".kubeconfig");
        Files.writeString(kubeconfig, api.kubeconfigAs(SYSTEM, account));
        List<String> command = new ArrayList<>(List.of("-Xmx384m"));
        command.addAll(args);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("KUBECONFIG", kubeconfig.toString());
        return jvms.start(role, command, all);
    }

    static void bind(String role, String account) throws IOException {
        Path file = Path.of(System.getProperty("surge.rbac.dir"), role + ".yaml");
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(file)) {
            objects = admin.load(in).items();
        }
        for (HasMetadata object : objects) {
            if (object instanceof ClusterRole rules) {
                admin.resource(rules).create();
                admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(account).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", rules.getMetadata().getName())
                        .addNewSubject().withKind("ServiceAccount").withName(account).withNamespace(SYSTEM)
                        .endSubject().build()).create();
            } else if (object instanceof Role rules) {
                admin.resource(rules).inNamespace(SYSTEM).create();
                admin.resource(new RoleBindingBuilder().withNewMetadata().withName(rules.getMetadata().getName())
                        .withNamespace(SYSTEM).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", rules.getMetadata().getName())
                        .addNewSubject().withKind("ServiceAccount").withName(account).withNamespace(SYSTEM)
                        .endSubject().build()).inNamespace(SYSTEM).create();
            } else {
                throw new IllegalStateException(file + ": unexpected " + object.getKind());
            }
        }
    }

    static void awaitReady(String role, Process p, int port) {
        jvms.awaitReady(role, p, port, Duration.ofSeconds(120));
    }

    static GenericKubernetesResource document(String kind, String name, String spec) {
        return YAML.unmarshal("apiVersion: " + SurgeApi.API_VERSION + "\nkind: " + kind + "\nmetadata: {name: " + name
                + ", namespace: " + NS + "}\nspec:\n  " + spec.replace("\n", "\n  ") + "\n",
                GenericKubernetesResource.class);
    }

    static ResourceDefinitionContext context(String kind) {
        return ResourceDefinitionContext.fromResourceType(switch (kind) {
            case "Broker" -> dev.surge.kubernetes.api.Broker.class;
            case "Function" -> dev.surge.kubernetes.api.Function.class;
            default -> dev.surge.kubernetes.api.Trigger.class;
        });
    }

    static void create(GenericKubernetesResource r) {
        admin.genericKubernetesResources(context(r.getKind())).inNamespace(NS).resource(r).create();
    }

    /** Posts one binary-mode event to the ingress; returns System.nanoTime() when its 202 arrived. */
    static long post(String type, String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingressPort + "/" + NS
                        + "/events"))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/e2e")
                .header("ce-type", type).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        long at = System.nanoTime();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return at;
    }

    static int status(String url) {
        return ChildJvms.status(url);
    }

    static <T> Watcher<T> watcher(java.util.function.Consumer<T> onEvent) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                onEvent.accept(resource);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    static String summary(List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return String.format(Locale.ROOT, "median %.1f ms, worst %.1f ms; in order (ms) %s", median / 1000,
                sorted.get(n - 1) / 1000.0,
                micros.stream().map(m -> String.format(Locale.ROOT, "%.1f", m / 1000.0)).toList());
    }

    static int freePort() {
        return ChildJvms.freePort();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
