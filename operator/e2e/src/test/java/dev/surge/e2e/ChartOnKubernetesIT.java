package dev.surge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.helm.Charts;
import dev.surge.helm.Charts.Rendered;
import dev.surge.kafka.EmbeddedKafka;
import dev.surge.kubetest.ChildJvms;
import dev.surge.kubetest.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What helm/surge installs, run: the chart rendered for a real kube-apiserver 1.20.2 and an embedded Kafka, every
 * object applied (CRDs first), then each of its three Deployments run as the packaged app it names, with the
 * Deployment's own arguments and environment (the kubelet's part done here: {@code $(VAR)} expanded, {@code fieldRef}
 * resolved, the ConfigMap's Kafka client properties at a local path, a free port for 8080) and the token of the
 * Deployment's ServiceAccount, whose rights are the chart's bindings alone. Then a Broker, the greeter Function and
 * its Trigger of helm/function's defaults, and one event posted to the ingress: the Broker gets its topic and the
 * address of the chart's ingress Service, the dispatcher runs the Trigger and asks for the Function at zero, the
 * operator scales its Deployment to 1.
 */
class ChartOnKubernetesIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final String SYSTEM = "surge-system";
    static final String DEMO = "demo";
    static final Path DIR = Path.of("target", "chart-e2e").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ResourceDefinitionContext BROKERS = context("brokers", "Broker");
    static final ResourceDefinitionContext FUNCTIONS = context("functions", "Function");

    static KubernetesClient admin;
    static EmbeddedKafka kafka;
    static ChildJvms jvms;
    static final Map<String, Integer> ports = new LinkedHashMap<>();

    @BeforeAll
    static void install() throws Exception {
        deleteRecursively(DIR);
        Files.createDirectories(DIR);
        admin = api.client();
        for (String ns : List.of(SYSTEM, DEMO)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        try (Stream<Path> files = Files.list(Charts.dir(Charts.SURGE).resolve("crds"))) {
            for (Path file : files.sorted().toList()) {
                CustomResourceDefinition crd = admin.getKubernetesSerialization().unmarshal(Files.readString(file),
                        CustomResourceDefinition.class);
                admin.resource(crd).create(); // as Helm creates crds/ (see ChartsOnRealApiServerIT)
                admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                                && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType())
                                        && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
            }
        }
        kafka = EmbeddedKafka.start(DIR.resolve("kafka"), 0);
        Rendered platform = Charts.render(Charts.SURGE, "surge", SYSTEM, """
                kafka:
                  bootstrapServers: '%s'
                  config: {reconnect.backoff.max.ms: "5000"}
                operator: {replicas: 1}
                """.formatted(kafka.bootstrapServers()), "1.20.2");
        apply(platform);

        jvms = new ChildJvms(DIR);
        // the operator first: the Broker's topic before the runtime looks for it, as in a cluster's rollout
        for (String component : List.of("operator", "ingress", "dispatcher")) {
            run(platform, "surge-" + component);
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
    void theChartsComponentsRunUnderItsAccountsAndAnEventScalesAFunctionFromZero() throws Exception {
        // the operator holds the Lease the chart's Role lets it hold
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Lease lease = admin.leases().inNamespace(SYSTEM).withName("surge-operator").get();
            assertThat(lease).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("surge-operator-0");
        });

        apply(Charts.parse("""
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: default, namespace: demo}
                """));
        await().atMost(Duration.ofSeconds(60)).until(() -> ready(admin.genericKubernetesResources(BROKERS)
                .inNamespace(DEMO).withName("default").get()));
        GenericKubernetesResource broker = admin.genericKubernetesResources(BROKERS).inNamespace(DEMO)
                .withName("default").get();
        // SURGE_OPERATOR_INGRESS_URL of the chart: its ingress Service
        assertThat(broker.get("status", "address").toString()).isEqualTo("http://surge-ingress.surge-system.svc/demo/default");
        assertThat(broker.get("status", "topic").toString()).isEqualTo("surge.demo.default");

        // helm/function's defaults: Function greeter at zero, Trigger greet (type dev.surge.greet); polled once an
        // hour, so only the dispatcher's activation request can start it
        Rendered greeter = Charts.render(Charts.FUNCTION, "greeter", DEMO,
                "function: {image: 'ghcr.io/surge-dev/greeter:1.0.0-SNAPSHOT', scaling: {pollingInterval: PT1H}}", "1.20.2");
        apply(greeter);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Deployment d = admin.apps().deployments().inNamespace(DEMO).withName("greeter").get();
            return d != null && d.getSpec().getReplicas() == 0;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> ChildJvms.status("http://127.0.0.1:"
                + ports.get("surge-dispatcher") + "/triggers/demo/greet") == 200);

        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ports.get("surge-ingress") + "/demo/default"))
                .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/cli")
                .header("ce-type", "dev.surge.greet").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).until(() -> admin.apps().deployments().inNamespace(DEMO)
                .withName("greeter").get().getSpec().getReplicas() == 1);
        assertThat(admin.genericKubernetesResources(FUNCTIONS).inNamespace(DEMO).withName("greeter").get()
                .getMetadata().getAnnotations()).containsKey("surge.dev/activation-requested-at");
        // none of them was refused anything by the API server on the way
        for (String name : ports.keySet()) {
            assertThat(Files.readString(jvms.log(name))).as(name).doesNotContain("Forbidden");
        }
    }

    /** Runs one of the chart's Deployments as the packaged app it names, as the kubelet would start its container. */
    static void run(Rendered platform, String deployment) throws IOException {
        JsonNode pod = platform.get("Deployment", deployment).at("/spec/template/spec");
        JsonNode container = pod.path("containers").get(0);
        int port = ChildJvms.freePort();
        ports.put(deployment, port);

        Path properties = DIR.resolve(deployment + "-client.properties");
        Files.writeString(properties, platform.get("ConfigMap", "surge-kafka-client").at("/data/client.properties")
                .asText());
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
                env.put(name, deployment + "-0");
            } else {
                throw new IllegalStateException(deployment + ": env " + name + " from " + e.path("valueFrom")
                        + " is not what this test provides");
            }
        }
        // the mounts' local stand-ins, and a port of this machine for the container's 8080
        assertThat(env.get("SURGE_KAFKA_CLIENT_PROPERTIES_FILE")).isEqualTo("/etc/surge/kafka/config/client.properties");
        env.put("SURGE_KAFKA_CLIENT_PROPERTIES_FILE", properties.toString());
        if (env.containsKey("QUARKUS_HTTP_PORT")) {
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        }
        env.put("HOSTNAME", deployment + "-0");
        // in a pod, the ServiceAccount's token: here a kubeconfig with nothing but a token of the same account
        String account = pod.path("serviceAccountName").asText();
        Path kubeconfig = DIR.resolve(deployment + ".kubeconfig");
        Files.writeString(kubeconfig, api.kubeconfigAs(SYSTEM, account));
        env.put("KUBECONFIG", kubeconfig.toString());

        List<String> args = new ArrayList<>();
        for (JsonNode a : container.path("args")) {
            args.add(expand(a.asText(), env));
        }
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("--port")) {
                assertThat(args.get(i + 1)).isEqualTo("8080");
                args.set(i + 1, String.valueOf(port));
            } else if (args.get(i).equals("--data-dir")) {
                args.set(i + 1, DIR.resolve(deployment).toString());
            }
        }
        String image = container.path("image").asText();
        String jar = image.contains("/surge-operator:") ? System.getProperty("surge.operator.jar")
                : image.contains("/surge-runtime:") ? System.getProperty("surge.runtime.jar") : null;
        assertThat(jar).as(image).isNotNull();
        List<String> command = new ArrayList<>(List.of("-Xmx384m", "-jar", jar));
        command.addAll(args);
        Process p = jvms.start(deployment, command, env);
        jvms.awaitReady(deployment, p, port, Duration.ofSeconds(120));
    }

    /** The kubelet's {@code $(VAR)} expansion of a container's arguments from its env. */
    static String expand(String arg, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(arg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }

    static void apply(Rendered rendered) {
        apply(rendered.objects());
    }

    static void apply(List<JsonNode> objects) {
        for (JsonNode object : objects) {
            try {
                HasMetadata item = admin.load(new ByteArrayInputStream(JSON.writeValueAsBytes(object))).items().get(0);
                admin.resource(item).fieldManager("helm").forceConflicts().serverSideApply();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static boolean ready(GenericKubernetesResource r) {
        return r != null && r.getAdditionalProperties().get("status") instanceof Map<?, ?> s
                && s.get("conditions") instanceof List<?> c && c.stream().anyMatch(x -> x instanceof Map<?, ?> m
                        && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
    }

    static ResourceDefinitionContext context(String plural, String kind) {
        return new ResourceDefinitionContext.Builder().withGroup("surge.dev").withVersion("v1alpha1")
                .withPlural(plural).withKind(kind).withNamespaced(true).build();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
