package dev.surge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import dev.surge.helm.Charts.Rendered;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** helm/surge: lint, and what it renders with the default values and with the value sets users would write. */
class SurgeChartTest {
    static final String RELEASE_NAMESPACE = "surge";

    /** A Strimzi cluster with SCRAM over TLS, two watched namespaces, three of each, Prometheus Operator. */
    static final String STRIMZI_SCRAM = """
            kafka:
              bootstrapServers: prod-kafka-bootstrap.kafka.svc:9093
              security:
                protocol: SASL_SSL
                tls:
                  caSecret: {name: prod-cluster-ca-cert, key: ca.crt}
                sasl:
                  mechanism: SCRAM-SHA-512
                  credentialsSecret: {name: surge-kafka-user, usernameKey: user, passwordKey: password}
              config:
                client.rack: eu-west-1a
                reconnect.backoff.max.ms: "5000"
            watchNamespaces: [shop, billing]
            operator:
              replicas: 2
              image: {registry: registry.acme.dev/surge, repository: surge-operator, tag: 0.1.0-rc1, pullPolicy: Always}
            runtime:
              image: {registry: registry.acme.dev/surge, repository: surge-runtime, tag: 0.1.0-rc1, pullPolicy: Always}
            ingress:
              replicas: 3
              resources: {requests: {cpu: "1", memory: 1Gi}, limits: {memory: 2Gi}}
              service: {type: LoadBalancer, port: 8080}
            dispatcher:
              replicas: 3
              podDisruptionBudget: {enabled: true, maxUnavailable: "34%"}
            serviceMonitor:
              enabled: true
              labels: {release: prometheus}
            imagePullSecrets: [{name: acme-registry}]
            """;

    /** Mutual TLS with a Strimzi KafkaUser of type tls, a self-signed cluster without host names. */
    static final String MUTUAL_TLS = """
            kafka:
              bootstrapServers: kafka-0.kafka:9093,kafka-1.kafka:9093
              security:
                protocol: SSL
                tls:
                  caSecret: {name: kafka-ca, key: ca.crt}
                  clientSecret: {name: surge-tls-user, keystoreKey: user.p12, passwordKey: user.password}
                  endpointIdentification: false
            networkPolicy:
              namespaces: [functions]
            """;

    /** One of each for a small cluster: no PDBs, no leader election, the ingress behind another URL. */
    static final String SMALL = """
            kafka: {bootstrapServers: kafka.kafka.svc:9092}
            operator:
              leaderElection: {enabled: false, leaseName: surge-operator}
              ingressUrl: https://events.acme.dev
            ingress: {replicas: 1, podDisruptionBudget: {enabled: false, maxUnavailable: 1}}
            dispatcher: {replicas: 1, podDisruptionBudget: {enabled: false, maxUnavailable: 1}}
            networkPolicy: {enabled: false, namespaces: [shop]}
            logJson: false
            """;

    static Stream<Arguments> valueSets() {
        return Stream.of(Arguments.of("defaults", ""), Arguments.of("strimzi-scram", STRIMZI_SCRAM),
                Arguments.of("mutual-tls", MUTUAL_TLS), Arguments.of("small", SMALL));
    }

    @Test
    void lintStrictFindsNothing() {
        LintResult lint = Charts.lintStrict(Charts.SURGE);
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        // strict fails on warnings; what is left is Helm's advice (an icon)
        assertThat(lint.getMessages()).allSatisfy(m -> assertThat(m).startsWith("[INFO]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyRenderedObjectPassesTheSchemaOfItsKind(String name, String values) {
        Rendered rendered = Charts.render(Charts.SURGE, values);
        List<String> problems = new ArrayList<>();
        for (JsonNode object : rendered.objects()) {
            if (object.path("kind").asText().equals("ServiceMonitor")) {
                continue; // the Prometheus Operator's kind: no schema here; serviceMonitorScrapesEveryComponent
            }
            problems.addAll(KubernetesSchemas.violations(object));
        }
        assertThat(problems).isEmpty();
        assertThat(rendered.objects()).extracting(o -> o.path("kind").asText()).contains("Deployment", "Service",
                "ServiceAccount", "ClusterRole", "ConfigMap");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyPodRunsRestrictedWithProbesOnTheHealthEndpoints(String name, String values) {
        Rendered rendered = Charts.render(Charts.SURGE, values);
        List<JsonNode> deployments = rendered.ofKind("Deployment");
        assertThat(deployments).extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("surge-operator", "surge-ingress", "surge-dispatcher");
        for (JsonNode d : deployments) {
            JsonNode pod = d.at("/spec/template/spec");
            String component = d.at("/metadata/labels").path("app.kubernetes.io/component").asText();
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(component).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).as(component).isPositive();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).as(component).isEqualTo("RuntimeDefault");
            // the rest of the restricted profile: no host namespaces, ports or paths; only these volume types
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                assertThat(pod.path(host).asBoolean(false)).as(component + " " + host).isFalse();
            }
            pod.path("volumes").forEach(v -> assertThat(v.fieldNames()).toIterable().as(component + " volume")
                    .hasSize(2).contains("name").containsAnyOf("configMap", "secret", "emptyDir"));
            pod.path("containers").forEach(c -> c.path("ports").forEach(p ->
                    assertThat(p.has("hostPort")).as(component + " hostPort").isFalse()));
            assertThat(pod.has("initContainers")).isFalse();
            assertThat(pod.path("serviceAccountName").asText()).isEqualTo("surge-" + component);
            assertThat(pod.path("containers")).hasSize(1);
            JsonNode c = pod.path("containers").get(0);
            JsonNode security = c.path("securityContext");
            assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(component).isFalse();
            assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(component).isTrue();
            assertThat(security.path("runAsNonRoot").asBoolean()).as(component).isTrue();
            assertThat(security.path("privileged").asBoolean(true)).as(component).isFalse();
            assertThat(security.at("/capabilities/drop")).extracting(JsonNode::asText).containsExactly("ALL");
            assertThat(security.at("/capabilities/add").isMissingNode()).isTrue();
            assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(c.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
            assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
            assertThat(c.at("/ports/0/name").asText()).isEqualTo("http");
            assertThat(c.at("/resources/requests/memory").isMissingNode()).as(component).isFalse();
            assertThat(c.at("/resources/limits/memory").isMissingNode()).as(component).isFalse();
            // a read-only root: the JVM's and Vert.x's temporary files go to an emptyDir
            assertThat(c.path("volumeMounts")).anySatisfy(m -> assertThat(m.path("mountPath").asText()).isEqualTo("/tmp"));
            // the selector picks this component's pods only, and the pods carry the labels it selects
            JsonNode selector = d.at("/spec/selector/matchLabels");
            assertThat(selector.path("app.kubernetes.io/component").asText()).isEqualTo(component);
            selector.fields().forEachRemaining(l -> assertThat(d.at("/spec/template/metadata/labels")
                    .path(l.getKey()).asText()).isEqualTo(l.getValue().asText()));
        }
        for (JsonNode object : rendered.objects()) {
            JsonNode labels = object.at("/metadata/labels");
            assertThat(labels.path("app.kubernetes.io/instance").asText()).as(object.at("/metadata/name").asText())
                    .isEqualTo("surge");
            assertThat(labels.path("app.kubernetes.io/managed-by").asText()).isEqualTo("Helm");
            // the operator's informers select app.kubernetes.io/managed-by=surge: never the chart's own objects
            assertThat(labels.path("app.kubernetes.io/managed-by").asText()).isNotEqualTo("surge");
            assertThat(labels.path("helm.sh/chart").asText()).isEqualTo("surge-0.1.0");
        }
    }

    /**
     * The README's install: Surge's images built and pushed to registry.example.com/acme (its "Container images"
     * command), the chart pointed there by one value, {@code --set global.imageRegistry=registry.example.com/acme}.
     */
    @Test
    void globalImageRegistryPutsBothImagesUnderTheUsersRegistry() {
        Rendered rendered = Charts.render(Charts.SURGE, "global: {imageRegistry: registry.example.com/acme}");
        assertThat(container(rendered, "surge-operator").path("image").asText())
                .isEqualTo("registry.example.com/acme/surge-operator:0.1.0-SNAPSHOT");
        for (String role : List.of("surge-ingress", "surge-dispatcher")) {
            assertThat(container(rendered, role).path("image").asText())
                    .isEqualTo("registry.example.com/acme/surge-runtime:0.1.0-SNAPSHOT");
        }
        // it wins over each image's own registry, and keeps each image's tag
        Rendered both = Charts.render(Charts.SURGE, """
                global: {imageRegistry: 'localhost:5000'}
                operator: {image: {registry: registry.acme.dev/surge, tag: 0.1.0-rc1}}
                """);
        assertThat(container(both, "surge-operator").path("image").asText())
                .isEqualTo("localhost:5000/surge-operator:0.1.0-rc1");
        // no registry at all: the name alone, e.g. for images loaded into a kind cluster's nodes
        Rendered local = Charts.render(Charts.SURGE, "runtime: {image: {registry: ''}}");
        assertThat(container(local, "surge-ingress").path("image").asText()).isEqualTo("surge-runtime:0.1.0-SNAPSHOT");
        assertThat(container(local, "surge-operator").path("image").asText())
                .isEqualTo("ghcr.io/surge-dev/surge-operator:0.1.0-SNAPSHOT");
    }

    @Test
    void theDefaultsRunEachComponentAsTheDocsSay() throws IOException {
        Rendered rendered = Charts.render(Charts.SURGE, "");
        JsonNode operator = container(rendered, "surge-operator");
        assertThat(operator.path("image").asText()).isEqualTo("ghcr.io/surge-dev/surge-operator:0.1.0-SNAPSHOT");
        assertThat(env(operator)).containsEntry("SURGE_KAFKA_BOOTSTRAP_SERVERS", "my-cluster-kafka-bootstrap.kafka.svc:9092")
                .containsEntry("SURGE_KAFKA_CLIENT_PROPERTIES_FILE", "/etc/surge/kafka/config/client.properties")
                // the default of surge.operator.ingress-url is this Service's address
                .containsEntry("SURGE_OPERATOR_INGRESS_URL", "http://surge-ingress.surge.svc")
                .containsEntry("SURGE_OPERATOR_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("SURGE_OPERATOR_LEADER_ELECTION_LEASE_NAME", "surge-operator")
                .containsEntry("SURGE_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", RELEASE_NAMESPACE)
                .containsEntry("SURGE_LOG_JSON", "true")
                .doesNotContainKey("SURGE_OPERATOR_NAMESPACES");
        assertThat(rendered.get("Deployment", "surge-operator").at("/spec/replicas").asInt()).isEqualTo(1);

        for (String role : List.of("ingress", "dispatcher")) {
            JsonNode c = container(rendered, "surge-" + role);
            assertThat(c.path("image").asText()).isEqualTo("ghcr.io/surge-dev/surge-runtime:0.1.0-SNAPSHOT");
            assertThat(args(c)).containsExactly("up", "--resources", "kubernetes", "--roles", role,
                    "--host", "0.0.0.0", "--port", "8080", "--data-dir", "/tmp/surge", "--kafka-bootstrap-servers", "$(SURGE_KAFKA_BOOTSTRAP_SERVERS)",
                    "--kafka-config", "$(SURGE_KAFKA_CLIENT_PROPERTIES_FILE)");
            // $(VAR) in args is expanded by the kubelet from variables defined in env
            assertThat(env(c)).containsKeys("SURGE_KAFKA_BOOTSTRAP_SERVERS", "SURGE_KAFKA_CLIENT_PROPERTIES_FILE");
            assertThat(rendered.get("Deployment", "surge-" + role).at("/spec/replicas").asInt()).isEqualTo(2);
            JsonNode pdb = rendered.get("PodDisruptionBudget", "surge-" + role);
            assertThat(pdb.path("apiVersion").asText()).isEqualTo("policy/v1");
            assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
            assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(
                    rendered.get("Deployment", "surge-" + role).at("/spec/selector/matchLabels"));
        }
        // each dispatcher replica its own static member of the triggers' groups: the pod's name
        assertThat(container(rendered, "surge-dispatcher").path("env")).anySatisfy(e -> {
            assertThat(e.path("name").asText()).isEqualTo("SURGE_INSTANCE_ID");
            assertThat(e.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
        });
        JsonNode service = rendered.get("Service", "surge-ingress");
        assertThat(service.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(80);
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");

        assertThat(kafkaProperties(rendered)).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
        // no namespaces to put them in: the NOTES say so
        assertThat(rendered.ofKind("NetworkPolicy")).isEmpty();
        assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
        assertThat(rendered.objects()).extracting(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("ServiceAccount/surge-operator", "ServiceAccount/surge-ingress",
                        "ServiceAccount/surge-dispatcher", "ClusterRole/surge-operator", "ClusterRole/surge-ingress",
                        "ClusterRole/surge-dispatcher", "ClusterRoleBinding/surge-operator",
                        "ClusterRoleBinding/surge-ingress", "ClusterRoleBinding/surge-dispatcher",
                        "Role/surge-operator-leader-election", "RoleBinding/surge-operator-leader-election",
                        "Deployment/surge-operator", "Deployment/surge-ingress", "Deployment/surge-dispatcher",
                        "Service/surge-operator", "Service/surge-ingress", "Service/surge-dispatcher",
                        "PodDisruptionBudget/surge-ingress", "PodDisruptionBudget/surge-dispatcher",
                        "ConfigMap/surge-kafka-client");
        // namespaced objects in the release's namespace
        for (JsonNode o : rendered.objects()) {
            if (!o.path("kind").asText().startsWith("Cluster")) {
                assertThat(o.at("/metadata/namespace").asText()).as(o.at("/metadata/name").asText())
                        .isEqualTo(RELEASE_NAMESPACE);
            }
        }
    }

    @Test
    void saslOverTlsTakesTheCredentialsFromTheExistingSecretAndNeverRendersThem() throws IOException {
        Rendered rendered = Charts.render(Charts.SURGE, STRIMZI_SCRAM);
        Map<String, String> properties = kafkaProperties(rendered);
        assertThat(properties).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"${env:SURGE_KAFKA_SASL_USERNAME}\" password=\"${env:SURGE_KAFKA_SASL_PASSWORD}\";")
                .containsEntry("config.providers", "env")
                .containsEntry("config.providers.env.class",
                        "org.apache.kafka.common.config.provider.EnvVarConfigProvider")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/etc/surge/kafka/ca/ca.crt")
                .containsEntry("client.rack", "eu-west-1a")
                .containsEntry("reconnect.backoff.max.ms", "5000")
                .doesNotContainKey("ssl.endpoint.identification.algorithm")
                .doesNotContainKey("ssl.keystore.location");
        for (String name : List.of("surge-operator", "surge-ingress", "surge-dispatcher")) {
            JsonNode c = container(rendered, name);
            assertThat(secretRef(c, "SURGE_KAFKA_SASL_USERNAME")).isEqualTo("surge-kafka-user/user");
            assertThat(secretRef(c, "SURGE_KAFKA_SASL_PASSWORD")).isEqualTo("surge-kafka-user/password");
            assertThat(env(c)).containsEntry("SURGE_KAFKA_BOOTSTRAP_SERVERS", "prod-kafka-bootstrap.kafka.svc:9093");
            JsonNode pod = rendered.get("Deployment", name).at("/spec/template/spec");
            // the truststore file the properties name is the Secret's key, mounted there
            assertThat(mountOf(pod, c, "/etc/surge/kafka/ca").at("/secret/secretName").asText())
                    .isEqualTo("prod-cluster-ca-cert");
            assertThat(mountOf(pod, c, "/etc/surge/kafka/ca").at("/secret/items/0/path").asText()).isEqualTo("ca.crt");
            assertThat(mountOf(pod, c, "/etc/surge/kafka/config").at("/configMap/name").asText())
                    .isEqualTo("surge-kafka-client");
            assertThat(pod.at("/imagePullSecrets/0/name").asText()).isEqualTo("acme-registry");
        }
        assertThat(container(rendered, "surge-operator").path("image").asText())
                .isEqualTo("registry.acme.dev/surge/surge-operator:0.1.0-rc1");
        assertThat(container(rendered, "surge-ingress").path("imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(container(rendered, "surge-ingress").at("/resources/requests/cpu").asText()).isEqualTo("1");
        assertThat(rendered.get("Deployment", "surge-ingress").at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(rendered.get("Deployment", "surge-operator").at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(rendered.get("PodDisruptionBudget", "surge-dispatcher").at("/spec/maxUnavailable").asText())
                .isEqualTo("34%");
        JsonNode service = rendered.get("Service", "surge-ingress");
        assertThat(service.at("/spec/type").asText()).isEqualTo("LoadBalancer");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(env(container(rendered, "surge-operator")))
                .containsEntry("SURGE_OPERATOR_INGRESS_URL", "http://surge-ingress.surge.svc:8080");
        // a password never reaches the rendered text: only the names of Secrets and keys do
        assertThat(rendered.text()).doesNotContainIgnoringCase("password=\"\"").doesNotContain("secretValue");
    }

    @Test
    void mutualTlsReadsTheKeystoreFromTheSecretAndItsPasswordFromAnEnvironmentVariable() throws IOException {
        Rendered rendered = Charts.render(Charts.SURGE, MUTUAL_TLS);
        assertThat(kafkaProperties(rendered)).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.keystore.type", "PKCS12")
                .containsEntry("ssl.keystore.location", "/etc/surge/kafka/client/user.p12")
                .containsEntry("ssl.keystore.password", "${env:SURGE_KAFKA_KEYSTORE_PASSWORD}")
                .containsEntry("config.providers", "env")
                .containsEntry("ssl.truststore.location", "/etc/surge/kafka/ca/ca.crt")
                // endpointIdentification false: Kafka's empty algorithm turns the host name check off
                .containsEntry("ssl.endpoint.identification.algorithm", "")
                .doesNotContainKeys("sasl.mechanism", "sasl.jaas.config");
        JsonNode c = container(rendered, "surge-dispatcher");
        assertThat(secretRef(c, "SURGE_KAFKA_KEYSTORE_PASSWORD")).isEqualTo("surge-tls-user/user.password");
        assertThat(env(c)).doesNotContainKeys("SURGE_KAFKA_SASL_USERNAME", "SURGE_KAFKA_SASL_PASSWORD");
        JsonNode pod = rendered.get("Deployment", "surge-dispatcher").at("/spec/template/spec");
        assertThat(mountOf(pod, c, "/etc/surge/kafka/client").at("/secret/secretName").asText())
                .isEqualTo("surge-tls-user");
        assertThat(env(c)).containsEntry("SURGE_KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9093,kafka-1.kafka:9093");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyVariableTheKafkaPropertiesReferToIsDefinedInEveryContainer(String name, String values) throws IOException {
        Rendered rendered = Charts.render(Charts.SURGE, values);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{env:([A-Z0-9_]+)}")
                .matcher(String.join("\n", kafkaProperties(rendered).values()));
        List<String> referred = new ArrayList<>();
        while (m.find()) {
            referred.add(m.group(1));
        }
        for (JsonNode d : rendered.ofKind("Deployment")) {
            List<String> defined = new ArrayList<>();
            d.at("/spec/template/spec/containers/0/env").forEach(e -> defined.add(e.path("name").asText()));
            assertThat(defined).as(d.at("/metadata/name").asText()).containsAll(referred);
        }
        if (!values.isEmpty() && !values.equals(SMALL)) {
            assertThat(referred).isNotEmpty();
        }
    }

    @Test
    void changedKafkaSettingsRollThePods() {
        String before = Charts.render(Charts.SURGE, "").get("Deployment", "surge-dispatcher")
                .at("/spec/template/metadata/annotations").path("checksum/kafka-client").asText();
        String after = Charts.render(Charts.SURGE, "kafka: {config: {client.rack: b}}").get("Deployment",
                "surge-dispatcher").at("/spec/template/metadata/annotations").path("checksum/kafka-client").asText();
        assertThat(before).hasSize(64).isNotEqualTo(after);
    }

    @Test
    void theSmallSetTurnsOffWhatItSays() {
        Rendered rendered = Charts.render(Charts.SURGE, SMALL);
        assertThat(rendered.ofKind("PodDisruptionBudget")).isEmpty();
        assertThat(rendered.ofKind("NetworkPolicy")).isEmpty();
        assertThat(rendered.ofKind("Role")).isEmpty();
        assertThat(rendered.ofKind("RoleBinding")).isEmpty();
        assertThat(env(container(rendered, "surge-operator")))
                .containsEntry("SURGE_OPERATOR_LEADER_ELECTION_ENABLED", "false")
                .containsEntry("SURGE_OPERATOR_INGRESS_URL", "https://events.acme.dev")
                .containsEntry("SURGE_LOG_JSON", "false");
        assertThat(rendered.get("Deployment", "surge-ingress").at("/spec/replicas").asInt()).isEqualTo(1);
    }

    @Test
    void theNetworkPolicyLetsOnlyThisReleasesDispatchersReachFunctionPods() {
        Rendered rendered = Charts.render(Charts.SURGE, STRIMZI_SCRAM);
        List<JsonNode> policies = rendered.ofKind("NetworkPolicy");
        assertThat(policies).extracting(p -> p.at("/metadata/namespace").asText()).containsExactly("shop", "billing");
        JsonNode dispatcherPods = rendered.get("Deployment", "surge-dispatcher").at("/spec/template/metadata/labels");
        for (JsonNode p : policies) {
            JsonNode spec = p.path("spec");
            // the pods the operator makes for Functions carry surge.dev/function (FunctionWorkload.LABEL_FUNCTION)
            assertThat(spec.at("/podSelector/matchExpressions/0/key").asText()).isEqualTo("surge.dev/function");
            assertThat(spec.at("/podSelector/matchExpressions/0/operator").asText()).isEqualTo("Exists");
            assertThat(spec.path("policyTypes")).extracting(JsonNode::asText).containsExactly("Ingress");
            assertThat(spec.path("ingress")).hasSize(1);
            JsonNode from = spec.at("/ingress/0/from");
            assertThat(from).hasSize(1);
            assertThat(spec.at("/ingress/0/ports").isMissingNode()).isTrue();
            // one peer with both selectors: dispatcher pods in the release's namespace (not any pod there, nor
            // dispatcher-labelled pods anywhere)
            assertThat(from.get(0).at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                    .isEqualTo(RELEASE_NAMESPACE);
            JsonNode pods = from.get(0).at("/podSelector/matchLabels");
            assertThat(pods.path("app.kubernetes.io/component").asText()).isEqualTo("dispatcher");
            pods.fields().forEachRemaining(l -> assertThat(dispatcherPods.path(l.getKey()).asText())
                    .isEqualTo(l.getValue().asText()));
        }
        assertThat(Charts.render(Charts.SURGE, MUTUAL_TLS).ofKind("NetworkPolicy"))
                .extracting(p -> p.at("/metadata/namespace").asText()).containsExactly("functions");
    }

    @Test
    void serviceMonitorScrapesEveryComponent() {
        Rendered rendered = Charts.render(Charts.SURGE, STRIMZI_SCRAM);
        JsonNode monitor = rendered.get("ServiceMonitor", "surge");
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/namespaceSelector/matchNames")).extracting(JsonNode::asText)
                .containsExactly(RELEASE_NAMESPACE);
        assertThat(monitor.at("/spec/endpoints/0").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("port", "path", "interval", "scrapeTimeout");
        // the selector matches the three Services, each with a port named http
        for (JsonNode service : rendered.ofKind("Service")) {
            JsonNode labels = service.at("/metadata/labels");
            monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(l ->
                    assertThat(labels.path(l.getKey()).asText()).isEqualTo(l.getValue().asText()));
            assertThat(monitor.at("/spec/selector/matchExpressions/0/values")).extracting(JsonNode::asText)
                    .contains(labels.path("app.kubernetes.io/component").asText());
            assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
        }
        assertThat(rendered.ofKind("Service")).hasSize(3);
    }

    @Test
    void aReleaseOfAnotherNamePrefixesEveryName() {
        Rendered rendered = Charts.render(Charts.SURGE, "acme", "events", "", "1.26.0");
        assertThat(rendered.objects()).allSatisfy(o -> assertThat(o.at("/metadata/name").asText()).startsWith("acme-surge-"));
        assertThat(env(container(rendered, "acme-surge-operator")))
                .containsEntry("SURGE_OPERATOR_INGRESS_URL", "http://acme-surge-ingress.events.svc")
                .containsEntry("SURGE_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", "events");
        assertThat(rendered.get("ClusterRoleBinding", "acme-surge-dispatcher").at("/subjects/0/namespace").asText())
                .isEqualTo("events");
    }

    @Test
    void kubernetesBefore121GetsThePodDisruptionBudgetsOfPolicyV1beta1() {
        Rendered rendered = Charts.render(Charts.SURGE, "surge", "surge", "", "1.20.2");
        assertThat(rendered.ofKind("PodDisruptionBudget")).hasSize(2)
                .allSatisfy(p -> assertThat(p.path("apiVersion").asText()).isEqualTo("policy/v1beta1"));
    }

    // --- helpers

    static JsonNode container(Rendered rendered, String deployment) {
        return rendered.get("Deployment", deployment).at("/spec/template/spec/containers/0");
    }

    /** The container's plain env values (valueFrom ones are left out). */
    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return env;
    }

    static List<String> args(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** {@code secret/key} of an env variable from a secretKeyRef. */
    static String secretRef(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                return ref.path("name").asText() + "/" + ref.path("key").asText();
            }
        }
        throw new AssertionError("no env " + name + " in " + container.path("env"));
    }

    /** The volume mounted at {@code path} in the container. */
    static JsonNode mountOf(JsonNode pod, JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                assertThat(m.path("readOnly").asBoolean()).as(path).isTrue();
                for (JsonNode v : pod.path("volumes")) {
                    if (v.path("name").asText().equals(m.path("name").asText())) {
                        return v;
                    }
                }
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    /** The Kafka client properties file of the ConfigMap, read as Kafka's clients read it. */
    static Map<String, String> kafkaProperties(Rendered rendered) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(rendered.get("ConfigMap", "surge-kafka-client").at("/data/client.properties").asText()));
        Map<String, String> map = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> map.put(k, p.getProperty(k)));
        return map;
    }
}
