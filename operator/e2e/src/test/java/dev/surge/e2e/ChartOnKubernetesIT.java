package dev.surge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import dev.surge.helm.Charts;
import dev.surge.kafka.EmbeddedKafka;
import dev.surge.kubetest.ChildJvms;
import dev.surge.kubetest.ReadmeCommands;
import dev.surge.kubetest.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
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
 * The README's "Install on Kubernetes with Helm" as a user follows it, command by command, on a real kube-apiserver
 * 1.20.2 with an embedded Kafka: {@code helm install} of helm/surge (Helm's own install through helm-java: CRDs
 * first, every object validated and created by the server) with the README's values (the Kafka address is this
 * test's), the namespace and the Broker the README creates, {@code helm install} of helm/function, and the README's
 * event posted to the ingress Service it port-forwards to. No kubelet runs here, so the test does its part: each of
 * the installed Deployments runs as the packaged app its image names, with the Deployment's own arguments and
 * environment ({@code $(VAR)} expanded, {@code fieldRef} resolved, the ConfigMap's Kafka client properties at a local
 * path, a free port for 8080) and the token of the Deployment's ServiceAccount, whose rights are the chart's bindings
 * alone. The README's event must be accepted, and the function it names scaled from zero, as its
 * {@code kubectl get ... -w} shows. A README command this test does not know fails it, so the README cannot drift
 * into steps no test covers.
 */
class ChartOnKubernetesIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final Path DIR = Path.of("target", "chart-e2e").toAbsolutePath();
    static final Path ROOT = Charts.dir(Charts.SURGE).getParent().getParent();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ResourceDefinitionContext BROKERS = context("brokers", "Broker");
    static final ResourceDefinitionContext FUNCTIONS = context("functions", "Function");
    static final ResourceDefinitionContext TRIGGERS = context("triggers", "Trigger");

    static KubernetesClient admin;
    static EmbeddedKafka kafka;
    static ChildJvms jvms;
    static final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Local ports the README forwards, to the port of the JVM that stands for the Service's pods. */
    static final Map<Integer, Integer> forwarded = new LinkedHashMap<>();
    static String systemNamespace;
    /** Where the README's image build pushed: registry/group. */
    static String pushedTo;

    @BeforeAll
    static void start() throws Exception {
        deleteRecursively(DIR);
        Files.createDirectories(DIR);
        admin = api.client();
        kafka = EmbeddedKafka.start(DIR.resolve("kafka"), 0);
        jvms = new ChildJvms(DIR);
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
    void theReadmesHelmInstallRunsAndItsFirstEventScalesTheFunctionFromZero() throws Exception {
        ReadmeCommands readme = ReadmeCommands.of(Files.readString(ROOT.resolve("README.md")),
                "## Install on Kubernetes with Helm");
        List<String> done = new ArrayList<>();
        for (ReadmeCommands.Command command : readme.commands()) {
            switch (command.word(0) + " " + command.word(1)) {
                case "helm install" -> helmInstall(command);
                case "kubectl create" -> createNamespace(command);
                case "kubectl apply" -> kubectlApply(command);
                case "kubectl port-forward" -> portForward(command);
                case "kubectl get" -> watchFunctionsScale(command);
                default -> {
                    if (command.word(0).equals("./mvnw")) {
                        imagesPushed(command);
                    } else if (command.word(0).equals("curl")) {
                        curl(command);
                    } else {
                        throw new AssertionError("the README's command '" + command + "' is not one this test "
                                + "carries out (after: " + done + ")");
                    }
                }
            }
            done.add(command.word(0).equals("curl") ? "curl" : command.word(0) + " " + command.word(1));
        }
        assertThat(done).as("the README's steps").contains("helm install", "kubectl apply", "curl", "kubectl get");
        // none of the components was refused anything by the API server on the way
        for (String name : ports.keySet()) {
            assertThat(Files.readString(jvms.log(name))).as(name).doesNotContain("Forbidden");
        }
    }

    /**
     * The README's image build: it must build and push (ContainerImagesIT builds the same images offline and checks
     * them against the chart); what it pushes to is where the installed Deployments must pull from.
     */
    static void imagesPushed(ReadmeCommands.Command command) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String word : command.words()) {
            if (word.startsWith("-D") && word.contains("=")) {
                properties.put(word.substring(2, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
            }
        }
        assertThat(properties).as(command.toString()).containsEntry("quarkus.container-image.build", "true")
                .containsEntry("quarkus.container-image.push", "true").containsKey("quarkus.container-image.registry");
        assertThat(command.option("-pl")).as("the modules it builds").contains("runtime/app", "operator/app");
        pushedTo = properties.get("quarkus.container-image.registry")
                + (properties.containsKey("quarkus.container-image.group")
                        ? "/" + properties.get("quarkus.container-image.group") : "");
    }

    /** {@code helm install RELEASE CHART -n NS [--create-namespace] [--set K=V]...}, as Helm does it. */
    static void helmInstall(ReadmeCommands.Command command) throws Exception {
        String release = command.word(2);
        Path chart = ROOT.resolve(command.word(3));
        InstallCommand install = new Helm(chart).install().withName(release).withKubeConfigContents(api.kubeconfig());
        String namespace = "default";
        Map<String, List<String>> lists = new LinkedHashMap<>();
        List<String> words = command.words();
        for (int i = 4; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-n", "--namespace" -> install.withNamespace(namespace = words.get(++i));
                case "--create-namespace" -> install.createNamespace();
                case "--set" -> {
                    String[] kv = words.get(++i).split("=", 2);
                    if (kv[0].equals("kafka.bootstrapServers")) {
                        install.set(kv[0], kafka.bootstrapServers()); // the README's Kafka is the user's
                    } else if (kv[1].startsWith("{") && kv[1].endsWith("}")) {
                        lists.put(kv[0], List.of(kv[1].substring(1, kv[1].length() - 1).split(",")));
                    } else {
                        install.set(kv[0], kv[1]);
                    }
                }
                default -> throw new AssertionError("helm install option " + words.get(i) + " in the README is not"
                        + " one this test knows: " + command);
            }
        }
        if (!command.toString().contains("kafka.bootstrapServers") && chart.endsWith(Path.of(Charts.SURGE))) {
            throw new AssertionError("the README installs helm/surge without kafka.bootstrapServers: " + command);
        }
        if (!lists.isEmpty()) {
            // helm's --set list syntax K={a,b}, which helm-java's set() passes on as a string: as a values file
            ObjectNode values = JSON.createObjectNode();
            lists.forEach((key, items) -> {
                ObjectNode parent = values;
                String[] path = key.split("\\.");
                for (int p = 0; p < path.length - 1; p++) {
                    parent = parent.with(path[p]);
                }
                items.forEach(parent.putArray(path[path.length - 1])::add);
            });
            Path file = DIR.resolve(release + "-lists.json");
            Files.writeString(file, values.toString());
            install.withValuesFile(file);
        }
        Release installed = install.call();
        assertThat(installed.getStatus()).as("helm's release " + release).isEqualTo("deployed");

        if (chart.endsWith(Path.of(Charts.SURGE))) {
            systemNamespace = namespace;
            // the operator first: the Broker's topic before the runtime looks for it, as in a cluster's rollout
            for (String component : List.of("operator", "ingress", "dispatcher")) {
                run(namespace, release + "-" + component);
            }
            // the operator holds the Lease the chart's Role lets it hold
            String ns = namespace;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Lease lease = admin.leases().inNamespace(ns).withName("surge-operator").get();
                assertThat(lease).isNotNull();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(release + "-operator-0");
            });
        } else {
            // the chart's Functions start at zero, and the dispatcher runs each of its Triggers
            String ns = namespace;
            List<GenericKubernetesResource> functions = admin.genericKubernetesResources(FUNCTIONS).inNamespace(ns)
                    .list().getItems();
            assertThat(functions).as("Functions of " + command).isNotEmpty();
            for (GenericKubernetesResource f : functions) {
                assertThat(f.get("spec", "image").toString()).as("Function " + f.getMetadata().getName())
                        .startsWith(pushedTo + "/");
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Deployment d = admin.apps().deployments().inNamespace(ns).withName(f.getMetadata().getName()).get();
                    return d != null && d.getSpec().getReplicas() == 0;
                });
            }
            for (GenericKubernetesResource t : admin.genericKubernetesResources(TRIGGERS).inNamespace(ns).list()
                    .getItems()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> ChildJvms.status("http://127.0.0.1:"
                        + ports.get("surge-dispatcher") + "/triggers/" + ns + "/" + t.getMetadata().getName()) == 200);
            }
        }
    }

    static void createNamespace(ReadmeCommands.Command command) {
        assertThat(command.word(2)).as(command.toString()).isEqualTo("namespace");
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(command.word(3)).endMetadata()
                .build()).create();
    }

    /** {@code kubectl apply -n NS -f - <<<'...'}: the object the README gives, and a Broker must become Ready. */
    static void kubectlApply(ReadmeCommands.Command command) throws IOException {
        assertThat(command.option("-f")).as(command.toString()).isEqualTo("-");
        String namespace = command.option("-n", "--namespace");
        ObjectNode object = (ObjectNode) JSON.readTree(command.input());
        ((ObjectNode) object.with("metadata")).put("namespace", namespace);
        apply(List.of(object));
        if (object.path("kind").asText().equals("Broker")) {
            String name = object.at("/metadata/name").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> ready(admin.genericKubernetesResources(BROKERS)
                    .inNamespace(namespace).withName(name).get()));
            GenericKubernetesResource broker = admin.genericKubernetesResources(BROKERS).inNamespace(namespace)
                    .withName(name).get();
            // SURGE_OPERATOR_INGRESS_URL of the chart: its ingress Service
            assertThat(broker.get("status", "address").toString())
                    .isEqualTo("http://surge-ingress." + systemNamespace + ".svc/" + namespace + "/" + name);
            assertThat(broker.get("status", "topic").toString()).isEqualTo("surge." + namespace + "." + name);
        }
    }

    /**
     * {@code kubectl port-forward -n NS svc/NAME LOCAL:PORT}: the Service must exist and select the pods of one of the
     * chart's Deployments on the container port its PORT targets; the JVM that runs that Deployment stands for them.
     */
    static void portForward(ReadmeCommands.Command command) {
        String namespace = command.option("-n", "--namespace");
        String target = command.words().stream().filter(w -> w.startsWith("svc/")).findFirst().orElseThrow();
        String[] forward = command.words().get(command.words().size() - 1).split(":");
        Service service = admin.services().inNamespace(namespace).withName(target.substring(4)).get();
        assertThat(service).as(target).isNotNull();
        ServicePort port = service.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == Integer.parseInt(forward[1])).findFirst().orElseThrow();
        Deployment selected = admin.apps().deployments().inNamespace(namespace).list().getItems().stream()
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                        .containsAll(service.getSpec().getSelector().entrySet()))
                .collect(onlyElement(target));
        var container = selected.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getPorts()).as("the container port %s targets", target)
                .anyMatch(p -> p.getName().equals(port.getTargetPort().getStrVal())
                        || p.getContainerPort().equals(port.getTargetPort().getIntVal()));
        forwarded.put(Integer.parseInt(forward[0]), ports.get(selected.getMetadata().getName()));
    }

    /** The README's {@code curl -i localhost:PORT/...}, to the forwarded port: 202. */
    static void curl(ReadmeCommands.Command command) throws Exception {
        String url = command.words().stream().filter(w -> w.startsWith("localhost:")).findFirst().orElseThrow();
        int local = Integer.parseInt(url.substring("localhost:".length(), url.indexOf('/')));
        assertThat(forwarded).as("a port-forward to localhost:%s before the curl", local).containsKey(local);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forwarded.get(local)
                + url.substring(url.indexOf('/'))));
        List<String> words = command.words();
        String data = "";
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-H" -> {
                    String[] header = words.get(++i).split(": ", 2);
                    request.header(header[0], header[1]);
                }
                case "-d" -> data = words.get(++i);
                case "-i" -> { }
                default -> assertThat(words.get(i)).as("curl's word in " + command).isEqualTo(url);
            }
        }
        HttpResponse<String> accepted = HTTP.send(request.POST(HttpRequest.BodyPublishers.ofString(data)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    /** {@code kubectl get sfn,strigger -n NS -w}: what it shows, the Functions scaled from zero to one. */
    static void watchFunctionsScale(ReadmeCommands.Command command) {
        String namespace = command.option("-n", "--namespace");
        assertThat(command.word(2)).as(command.toString()).contains("sfn");
        for (GenericKubernetesResource f : admin.genericKubernetesResources(FUNCTIONS).inNamespace(namespace).list()
                .getItems()) {
            String name = f.getMetadata().getName();
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.apps().deployments().inNamespace(namespace)
                    .withName(name).get().getSpec().getReplicas() == 1);
            assertThat(admin.genericKubernetesResources(FUNCTIONS).inNamespace(namespace).withName(name).get()
                    .getMetadata().getAnnotations()).containsKey("surge.dev/activation-requested-at");
        }
    }

    static <T> java.util.stream.Collector<T, ?, T> onlyElement(String what) {
        return java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
            assertThat(list).as("what " + what + " selects").hasSize(1);
            return list.get(0);
        });
    }

    /** Runs one of the chart's Deployments as the packaged app it names, as the kubelet would start its container. */
    static void run(String namespace, String deployment) throws IOException {
        JsonNode pod = JSON.valueToTree(admin.apps().deployments().inNamespace(namespace).withName(deployment).get())
                .at("/spec/template/spec");
        JsonNode container = pod.path("containers").get(0);
        int port = ChildJvms.freePort();
        ports.put(deployment, port);

        Path properties = DIR.resolve(deployment + "-client.properties");
        Files.writeString(properties, admin.configMaps().inNamespace(namespace).withName("surge-kafka-client").get()
                .getData().get("client.properties"));
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
        Files.writeString(kubeconfig, api.kubeconfigAs(namespace, account));
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
        assertThat(pushedTo).as("the README builds and pushes the images before installing").isNotNull();
        assertThat(image).as("the image of " + deployment).startsWith(pushedTo + "/");
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
