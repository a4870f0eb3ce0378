package dev.surge.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Resources read from YAML are values: what a reconciler compares to decide what to change. */
class ResourceValuesTest {
    private static final Path BASE = Path.of("/home/ada/shop");

    static final String BROKER = """
            apiVersion: surge.dev/v1alpha1
            kind: Broker
            metadata: {name: default, namespace: shop}
            spec: {partitions: 6, retention: P1D}
            """;
    static final String FUNCTION = """
            apiVersion: surge.dev/v1alpha1
            kind: Function
            metadata: {name: payment, namespace: shop}
            spec:
              path: functions/payment
              env: {CURRENCY: EUR, MODE: live}
              scaling: {maxReplicas: 3, lagThreshold: 50}
            """;
    static final String AUDIT = """
            apiVersion: surge.dev/v1alpha1
            kind: Function
            metadata: {name: audit, namespace: shop}
            spec: {path: functions/audit}
            """;
    static final String TRIGGER = """
            apiVersion: surge.dev/v1alpha1
            kind: Trigger
            metadata: {name: pay, namespace: shop}
            spec:
              broker: default
              filter: {attributes: {type: order.placed}}
              filters: [{prefix: {source: /shop}}, {cesql: "priority > 5"}]
              function: payment
              delivery: {retry: 3, deadLetterSink: {uri: 'http://dlq.example/events'}}
            """;

    static ResourceSet read(String... documents) throws InvalidResourcesException {
        return ResourceLoader.parse(String.join("---\n", documents), "surge.yaml", BASE);
    }

    @Test
    void sameYamlReadTwiceGivesEqualResources() throws Exception {
        ResourceSet once = read(BROKER, FUNCTION, AUDIT, TRIGGER);
        ResourceSet twice = read(BROKER, FUNCTION, AUDIT, TRIGGER);

        assertThat(twice).isEqualTo(once).hasSameHashCodeAs(once);
        assertThat(twice.triggers().get(0)).isEqualTo(once.triggers().get(0))
                .hasSameHashCodeAs(once.triggers().get(0));
        assertThat(twice.functions()).isEqualTo(once.functions());
        assertThat(twice.brokers()).isEqualTo(once.brokers());
        assertThat(ResourceChanges.between(once, twice).isEmpty()).isTrue();
    }

    @Test
    void orderOfDocumentsAndOfEnvDoesNotMatter() throws Exception {
        ResourceSet declared = read(BROKER, FUNCTION, AUDIT, TRIGGER);
        ResourceSet shuffled = read(TRIGGER, AUDIT, FUNCTION.replace("{CURRENCY: EUR, MODE: live}",
                "{MODE: live, CURRENCY: EUR}"), BROKER);

        assertThat(shuffled).isEqualTo(declared).hasSameHashCodeAs(declared);
    }

    static Stream<Arguments> edits() {
        return Stream.of(
                Arguments.of("filter attribute", TRIGGER.replace("type: order.placed", "type: order.paid"), "pay"),
                Arguments.of("filter dialect", TRIGGER.replace("prefix: {source: /shop}", "suffix: {source: /shop}"),
                        "pay"),
                Arguments.of("cesql expression", TRIGGER.replace("priority > 5", "priority > 6"), "pay"),
                Arguments.of("filters added", TRIGGER.replace("{cesql: \"priority > 5\"}",
                        "{cesql: \"priority > 5\"}, {exact: {subject: x}}"), "pay"),
                Arguments.of("target function", TRIGGER.replace("function: payment", "function: audit"), "pay"),
                Arguments.of("target uri", TRIGGER.replace("function: payment", "uri: 'http://pay.example/'"), "pay"),
                Arguments.of("broker of trigger", TRIGGER.replace("broker: default", "broker: other"), "pay"),
                Arguments.of("delivery retry", TRIGGER.replace("retry: 3", "retry: 4"), "pay"),
                Arguments.of("dead-letter uri", TRIGGER.replace("dlq.example", "dlq2.example"), "pay"),
                Arguments.of("delivery ordering", TRIGGER.replace("retry: 3", "retry: 3, ordering: ordered"), "pay"),
                Arguments.of("scaling", FUNCTION.replace("maxReplicas: 3", "maxReplicas: 4"), "payment"),
                Arguments.of("env value", FUNCTION.replace("CURRENCY: EUR", "CURRENCY: USD"), "payment"),
                Arguments.of("env added", FUNCTION.replace("MODE: live", "MODE: live, DEBUG: 'true'"), "payment"),
                Arguments.of("path", FUNCTION.replace("functions/payment", "functions/payment2"), "payment"),
                Arguments.of("concurrency", FUNCTION.replace("path: functions/payment",
                        "path: functions/payment\n  concurrency: 2"), "payment"),
                Arguments.of("partitions", BROKER.replace("partitions: 6", "partitions: 7"), "default"),
                Arguments.of("retention", BROKER.replace("P1D", "P2D"), "default"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void anEditedFieldMakesTheResourceUnequalAndChanged(String what, String editedDocument, String changedName)
            throws Exception {
        ResourceSet before = read(BROKER, FUNCTION, AUDIT, TRIGGER);
        List<String> documents = new ArrayList<>(List.of(BROKER, FUNCTION, AUDIT, TRIGGER));
        documents.replaceAll(d -> sameResource(d, editedDocument) ? editedDocument : d);
        if (editedDocument.contains("broker: other")) {
            documents.add(BROKER.replace("name: default", "name: other"));
        }
        ResourceSet after = read(documents.toArray(String[]::new));

        assertThat(after).isNotEqualTo(before);
        ResourceChanges changes = ResourceChanges.between(before, after);
        List<Resource> changedOnes = Stream.of(changes.brokers(), changes.functions(), changes.triggers())
                .flatMap(c -> c.changed().stream()).map(c -> (Resource) c.after()).toList();
        assertThat(changedOnes).extracting(Resource::name).containsExactly(changedName);
        Resource old = Stream.of(before.brokers(), before.functions(), before.triggers()).flatMap(List::stream)
                .filter(r -> r.id().equals(changedOnes.get(0).id())).findFirst().orElseThrow();
        assertThat(changedOnes.get(0)).isNotEqualTo(old);
    }

    private static boolean sameResource(String document, String edited) {
        return document.lines().limit(3).toList().equals(edited.lines().limit(3).toList());
    }

    @Test
    void functionEnvIsCopiedSoTheValueCannotChangeUnderTheReconciler() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(Map.of("A", "1"));
        Function f = read(AUDIT).functions().get(0);
        Function copy = new Function(f.metadata(), f.image(), f.path(), f.port(), env, f.concurrency(), f.scaling());
        env.put("B", "2");

        assertThat(copy.env()).containsExactly(Map.entry("A", "1"));
        assertThatThrownBy(() -> copy.env().put("C", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aSetRefusesTwoResourcesWithOneIdentity() throws Exception {
        Broker b = read(BROKER).brokers().get(0);
        Broker other = new Broker(b.metadata(), 1, b.replicationFactor(), b.retention());

        assertThatThrownBy(() -> new ResourceSet(List.of(b, other), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Broker/shop/default is declared twice");
        assertThat(new ResourceSet(Collections.nCopies(1, b), List.of(), List.of()).broker("shop", "default"))
                .contains(b);
    }
}
