package dev.surge.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.delivery.BackoffPolicy;
import dev.surge.core.delivery.DeadLetterSink;
import dev.surge.core.delivery.DeliverySpec;
import dev.surge.core.delivery.Ordering;
import dev.surge.core.scaling.ScalingPolicy;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceLoaderTest {
    private static final Path BASE = Path.of("/home/ada/shop");

    private static final String VALID = """
            apiVersion: surge.dev/v1alpha1
            kind: Broker
            metadata: {name: default, namespace: shop}
            spec: {partitions: 6, retention: P1D}
            ---
            apiVersion: surge.dev/v1alpha1
            kind: Function
            metadata: {name: payment, namespace: shop}
            spec:
              path: functions/orders/target/quarkus-app
              env: {CURRENCY: EUR}
              concurrency: 8
            ---
            apiVersion: surge.dev/v1alpha1
            kind: Trigger
            metadata: {name: pay, namespace: shop}
            spec:
              broker: default
              filter: {attributes: {type: order.placed}}
              filters: [{prefix: {source: /shop}}]
              function: payment
            ---
            apiVersion: surge.dev/v1alpha1
            kind: Trigger
            metadata: {name: audit, namespace: shop}
            spec: {broker: default, uri: 'http://audit.example:8080/events'}
            ---
            """;

    @Test
    void readsEveryKindWithDefaultsAndResolvedPaths() throws Exception {
        ResourceSet set = ResourceLoader.parse(VALID, "surge.yaml", BASE);

        Broker broker = set.broker("shop", "default").orElseThrow();
        assertThat(broker.partitions()).isEqualTo(6);
        assertThat(broker.replicationFactor()).isEqualTo((short) 1);
        assertThat(broker.retention()).isEqualTo(Duration.ofDays(1));

        Function payment = set.function("shop", "payment").orElseThrow();
        assertThat(payment.path()).isEqualTo("/home/ada/shop/functions/orders/target/quarkus-app");
        assertThat(payment.env()).containsEntry("CURRENCY", "EUR");
        assertThat(payment.concurrency()).isEqualTo(8);
        assertThat(payment.port()).isEqualTo(Function.DEFAULT_PORT);

        assertThat(set.triggersOf(broker)).extracting(Trigger::name).containsExactly("pay", "audit");
        Trigger pay = set.triggers().get(0);
        assertThat(pay.function()).isEqualTo("payment");
        var placed = CloudEventBuilder.v1().withId("1").withSource(URI.create("/shop/web")).withType("order.placed").build();
        var other = CloudEventBuilder.v1(placed).withType("order.cancelled").build();
        var foreign = CloudEventBuilder.v1(placed).withSource(URI.create("/bank")).build();
        assertThat(pay.filter().test(placed)).isTrue();
        assertThat(pay.filter().test(other)).isFalse();
        assertThat(pay.filter().test(foreign)).isFalse();
        assertThat(set.triggers().get(1).uri()).isEqualTo(URI.create("http://audit.example:8080/events"));
    }

    @Test
    void namespaceDefaultsToDefault() throws Exception {
        ResourceSet set = ResourceLoader.parse("""
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: b}
                """, "s.yaml", BASE);
        assertThat(set.broker("default", "b")).isPresent();
    }

    static Stream<Arguments> wrongFiles() {
        String broker = "apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: default}\n---\n";
        String fn = "apiVersion: surge.dev/v1alpha1\nkind: Function\nmetadata: {name: f}\nspec: {path: f}\n---\n";
        return Stream.of(
                Arguments.of("kind: Broker\nmetadata: {name: [", "s.yaml: not valid YAML"),
                Arguments.of("- a\n- b\n", "s.yaml: document 1: a document must be a mapping"),
                Arguments.of("kind: Broker\nmetadata: {name: b}\n", "s.yaml: document 1 (Broker/b): apiVersion: is required"),
                Arguments.of("apiVersion: surge.dev/v1\nkind: Broker\nmetadata: {name: b}\n",
                        "document 1 (Broker/b): apiVersion: 'surge.dev/v1' is not supported"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Service\nmetadata: {name: b}\n",
                        "document 1 (Service/b): kind: 'Service' is not a Surge resource"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Broker\n", "document 1 (Broker/?): metadata: is required"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: My_Broker}\n",
                        "metadata.name: 'My_Broker' is not a valid name"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: b}\nspec: {partitions: 0}\n",
                        "document 1 (Broker/b): spec.partitions: must be a whole number from 1 to 10000, not '0'"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: b}\nspec: {partitions: many}\n",
                        "spec.partitions: must be a whole number"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: b}\nspec: {retention: 7 days}\n",
                        "spec.retention: '7 days' is not an ISO-8601 duration"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: b}\nspec: {partition: 3}\n",
                        "spec.partition: unknown field; known fields here: ingress, partitions, replicationFactor, retention"),
                Arguments.of(broker + broker, "document 2 (Broker/default): metadata.name: a Broker named 'default' is already declared"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Function\nmetadata: {name: f}\nspec: {port: 8080}\n",
                        "document 1 (Function/f): spec.path: a function needs a path"),
                Arguments.of(broker + "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\nspec: {broker: default}\n",
                        "document 2 (Trigger/t): spec.function: give exactly one target"),
                Arguments.of(broker + fn + "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\n"
                        + "spec: {broker: default, function: f, uri: 'http://x'}\n", "spec.function: give exactly one target"),
                Arguments.of(broker + "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\n"
                        + "spec: {broker: nope, uri: 'http://x'}\n", "document 2 (Trigger/t): spec.broker: no Broker named 'nope'"),
                Arguments.of(broker + "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\n"
                        + "spec: {broker: default, function: ghost}\n", "spec.function: no Function named 'ghost' in namespace 'default'"),
                Arguments.of(broker + "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\n"
                        + "spec: {broker: default, uri: 'ftp://x/y'}\n", "spec.uri: 'ftp://x/y' must be an absolute http or https URL"),
                Arguments.of(broker + "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\n"
                        + "spec: {broker: default, uri: 'http://x', filters: [{cesql: 'type ='}]}\n",
                        "document 2 (Trigger/t): spec.filters[0].cesql: cannot parse"),
                Arguments.of(broker + "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\n"
                        + "spec: {broker: default, uri: 'http://x', filter: {type: a}}\n",
                        "spec.filter.type: unknown field; known fields here: attributes"),
                Arguments.of(trigger("{retry: -1}"), "spec.delivery.retry: must be a whole number from 0 to 1000"),
                Arguments.of(trigger("{backoffPolicy: fibonacci}"),
                        "spec.delivery.backoffPolicy: 'fibonacci' is not one of [linear, exponential]"),
                Arguments.of(trigger("{backoffDelay: 1s}"), "spec.delivery.backoffDelay: '1s' is not an ISO-8601 duration"),
                Arguments.of(trigger("{timeout: PT0S}"), "spec.delivery.timeout: must be a positive duration"),
                Arguments.of(trigger("{backoffDelay: PT10S, backoffCap: PT1S}"),
                        "spec.delivery.backoffCap: must not be shorter than backoffDelay"),
                Arguments.of(trigger("{ordering: fifo}"), "spec.delivery.ordering: 'fifo' is not one of [unordered, ordered, keyed]"),
                Arguments.of(trigger("{maxInFlight: 0}"), "spec.delivery.maxInFlight: must be a whole number from 1 to 10000"),
                Arguments.of(trigger("{deadLetterSink: {topic: 'a b'}}"),
                        "spec.delivery.deadLetterSink.topic: 'a b' is not a valid Kafka topic name"),
                Arguments.of(trigger("{deadLetterSink: {topic: dlq, uri: 'http://x'}}"),
                        "spec.delivery.deadLetterSink: must have exactly one of topic, uri, function"),
                Arguments.of(trigger("{deadLetterSink: {function: ghost}}"),
                        "spec.delivery.deadLetterSink.function: no Function named 'ghost'"),
                Arguments.of(trigger("{deadLetterSink: {uri: 'mailto:x@y'}}"),
                        "spec.delivery.deadLetterSink.uri: 'mailto:x@y' must be an absolute http or https URL"),
                Arguments.of(trigger("{retries: 3}"), "spec.delivery.retries: unknown field"),
                Arguments.of(function("{minReplicas: 4, maxReplicas: 2}"), "spec.scaling.maxReplicas: must not be below minReplicas (4)"),
                Arguments.of(function("{lagThreshold: 0}"), "spec.scaling.lagThreshold: must be a whole number from 1"),
                Arguments.of(function("{cooldownPeriod: 5m}"), "spec.scaling.cooldownPeriod: '5m' is not an ISO-8601 duration"),
                Arguments.of(function("{maxReplica: 3}"), "spec.scaling.maxReplica: unknown field"),
                Arguments.of("apiVersion: surge.dev/v1alpha1\nkind: Function\nmetadata: {name: 2fast}\nspec: {path: f}\n",
                        "document 1 (Function/2fast): metadata.name: '2fast' must start with a letter, as the"
                                + " Function's Kubernetes Service takes this name (a DNS-1035 label); rename it, e.g."
                                + " to 'fn-2fast'"),
                Arguments.of(functionSpec("env: {2FA_SECRET: x}"), "document 1 (Function/f): spec.env.2FA_SECRET:"
                        + " '2FA_SECRET' is not a valid environment variable name: use letters, digits, '_', '-' and"
                        + " '.', not starting with a digit"),
                Arguments.of(functionSpec("env: {'MY VAR': x}"), "spec.env.MY VAR: 'MY VAR' is not a valid environment"
                        + " variable name"),
                Arguments.of(functionSpec("env: {..hidden: x}"), "spec.env...hidden: '..hidden' is not a valid"
                        + " environment variable name: it must not be '.' or start with '..'"),
                Arguments.of(functionSpec("resources: {requests: {cpu: lots}}"), "document 1 (Function/f):"
                        + " spec.resources.requests.cpu: 'lots' is not a quantity: write a number with an optional"
                        + " suffix, e.g. 500m or '0.5' (CPU), 256Mi or 1G (memory)"),
                Arguments.of(functionSpec("resources: {limits: {memory: 256MB}}"),
                        "spec.resources.limits.memory: '256MB' is not a quantity"),
                Arguments.of(functionSpec("resources: {limits: {cpu: 0.5}}"),
                        "spec.resources.limits.cpu: '0.5' is not a quantity"),
                Arguments.of(functionSpec("resources: {requests: {memory: '-1Gi'}}"),
                        "spec.resources.requests.memory: must not be negative, not '-1Gi'"),
                Arguments.of(functionSpec("resources: {requests: {cpu: '2'}, limits: {cpu: 1500m}}"),
                        "spec.resources.requests.cpu: '2' must not be above the limit (spec.resources.limits.cpu:"
                                + " '1500m')"),
                Arguments.of(functionSpec("resources: {requests: [cpu]}"),
                        "spec.resources.requests: must be a mapping of resource names to quantities"),
                Arguments.of(functionSpec("resources: {request: {cpu: 1}}"),
                        "spec.resources.request: unknown field; known fields here: claims, limits, requests"));
    }

    private static String functionSpec(String more) {
        return "apiVersion: surge.dev/v1alpha1\nkind: Function\nmetadata: {name: f}\nspec: {path: app, " + more + "}\n";
    }

    @Test
    void aFunctionTakesEveryEnvNameAndQuantityThatKubernetesTakes() throws Exception {
        ResourceSet set = ResourceLoader.parse(functionSpec("env: {MY_VAR: a, my.var: b, _x: c, -y: d, .z: e, X1: f},"
                + " resources: {requests: {cpu: 250m, memory: 128Mi, ephemeral-storage: '1e9', nvidia.com/gpu: 1},"
                + " limits: {cpu: '1', memory: 0.5Gi, ephemeral-storage: 2G, nvidia.com/gpu: 1}}"), "s.yaml", BASE);

        assertThat(set.functions().get(0).env()).containsOnlyKeys("MY_VAR", "my.var", "_x", "-y", ".z", "X1");
    }

    @Test
    void onlyAFunctionsNameMustStartWithALetterAsOnlyItNamesAService() throws Exception {
        ResourceSet set = ResourceLoader.parse("""
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: 2026-orders}
                ---
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: 3d-prints}
                spec: {broker: 2026-orders, uri: 'http://x'}
                """, "s.yaml", BASE);

        assertThat(set.broker("default", "2026-orders")).isPresent();
        assertThat(set.triggers()).extracting(Trigger::name).containsExactly("3d-prints");
    }

    private static String function(String scaling) {
        return "apiVersion: surge.dev/v1alpha1\nkind: Function\nmetadata: {name: f}\n"
                + "spec: {path: app, scaling: " + scaling + "}\n";
    }

    @Test
    void readsScalingWithKedaDefaults() throws Exception {
        ResourceSet set = ResourceLoader.parse(function("{maxReplicas: 3, lagThreshold: 50, cooldownPeriod: PT5S}"),
                "s.yaml", BASE);
        assertThat(set.functions().get(0).scaling()).isEqualTo(new ScalingPolicy(0, 3, 50, 0, Duration.ofSeconds(5),
                ScalingPolicy.DEFAULT.pollingInterval(), ScalingPolicy.DEFAULT.stabilizationWindow()));
    }

    private static String trigger(String delivery) {
        return "apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: default}\n---\n"
                + "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\n"
                + "spec: {broker: default, uri: 'http://x', delivery: " + delivery + "}\n";
    }

    @Test
    void readsDeliverySettingsWithDefaults() throws Exception {
        ResourceSet set = ResourceLoader.parse(trigger("{retry: 2, backoffPolicy: linear, backoffDelay: PT0.5S,"
                + " timeout: PT5S, deadLetterSink: {topic: orders.dlq}, ordering: keyed}"), "s.yaml", BASE);
        DeliverySpec d = set.triggers().get(0).delivery();
        assertThat(d).isEqualTo(new DeliverySpec(2, BackoffPolicy.LINEAR, Duration.ofMillis(500),
                DeliverySpec.DEFAULT.backoffCap(), Duration.ofSeconds(5), new DeadLetterSink.Topic("orders.dlq"),
                Ordering.KEYED, DeliverySpec.DEFAULT.maxInFlight()));
        ResourceSet plain = ResourceLoader.parse(VALID, "s.yaml", BASE);
        assertThat(plain.triggers().get(0).delivery()).isEqualTo(DeliverySpec.DEFAULT);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongFiles")
    void wrongFileNamesFileDocumentFieldAndReason(String yaml, String expected) {
        assertThatThrownBy(() -> ResourceLoader.parse(yaml, "s.yaml", BASE))
                .isInstanceOf(InvalidResourcesException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        String yaml = """
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: b}
                spec: {partitions: -1, retention: soon}
                """;
        assertThatThrownBy(() -> ResourceLoader.parse(yaml, "s.yaml", BASE))
                .isInstanceOfSatisfying(InvalidResourcesException.class, e -> assertThat(e.problems())
                        .extracting(Problem::field).containsExactly("spec.partitions", "spec.retention"));
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ResourceLoader.load(Path.of("target/does-not-exist.yaml")))
                .hasMessageContaining("target/does-not-exist.yaml: file not found");
    }
}
