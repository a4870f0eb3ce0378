package dev.surge.kubernetes.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.surge.core.resource.Problem;
import dev.surge.core.resource.Resource;
import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import dev.surge.kubernetes.api.Examples.Example;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A custom resource, as the API server returns it, reads as the same core resource as its surge.yaml document. */
class CoreResourcesTest {
    private static final Path BASE = Path.of("/srv/surge");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of("Broker", Broker.class,
            "Function", Function.class, "Trigger", Trigger.class);

    private final CoreResources core = new CoreResources(BASE);

    static List<Example> valid() {
        return Examples.in("valid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void aClusterResourceReadsAsTheSameResourceAsItsFileDocument(Example example) throws Exception {
        ResourceSet file = ResourceLoader.parse(valid().stream().map(Example::text).collect(Collectors.joining("---\n")),
                "surge.yaml", BASE);
        Resource expected = Stream.of(file.brokers(), file.functions(), file.triggers()).flatMap(List::stream)
                .filter(r -> r.name().equals(example.document().path("metadata").path("name").asText()))
                .findFirst().orElseThrow();

        HasMetadata generic = asServed(SERIALIZATION.unmarshal(example.text(), GenericKubernetesResource.class));
        HasMetadata typed = asServed(SERIALIZATION.unmarshal(example.text(), TYPES.get(example.kind())));

        assertThat(core.read(generic).problems()).isEmpty();
        assertThat(core.read(generic).resource()).isEqualTo(expected);
        assertThat(core.read(typed).problems()).isEmpty();
        assertThat(core.read(typed).resource()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void theTypedClassesKeepEveryFieldOfTheSpec(Example example) {
        HasMetadata typed = SERIALIZATION.unmarshal(example.text(), TYPES.get(example.kind()));
        JsonNode written = example.document().path("spec");

        JsonNode roundTrip = CoreResources.document(typed).path("spec");

        assertThat(roundTrip).isEqualTo(written.isMissingNode() ? JsonNodeFactory.instance.objectNode() : written);
    }

    @Test
    void anInvalidResourceIsReportedOnItsOwnAndTheOthersStillRead() {
        HasMetadata broker = resource("""
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: default, namespace: shop}
                """);
        HasMetadata broken = resource("""
                apiVersion: surge.dev/v1alpha1
                kind: Function
                metadata: {name: payment, namespace: shop}
                spec: {image: 'payment:1', scaling: {minReplicas: 3, maxReplicas: 2}}
                """);
        HasMetadata trigger = resource("""
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: audit, namespace: shop}
                spec: {broker: default, uri: 'http://audit.example/'}
                """);

        List<CoreResources.Read> reads = core.readAll(List.of(broker, broken, trigger));

        assertThat(reads).extracting(CoreResources.Read::valid).containsExactly(true, false, true);
        assertThat(reads.get(1).source()).isSameAs(broken);
        assertThat(reads.get(1).problems()).extracting(Problem::resource, Problem::field)
                .containsExactly(org.assertj.core.api.Assertions.tuple("Function/payment", "spec.scaling.maxReplicas"));
        assertThat(reads.get(2).resource().id().toString()).isEqualTo("Trigger/shop/audit");
    }

    @Test
    void readAllChecksReferencesButReadAloneDoesNot() {
        HasMetadata trigger = resource("""
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: greet, namespace: demo}
                spec: {broker: default, function: greeter}
                """);

        assertThat(core.read(trigger).valid()).isTrue();
        assertThat(core.readAll(List.of(trigger)).get(0).problems()).extracting(Problem::field, Problem::message)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple("spec.broker", "no Broker named 'default' in namespace 'demo'"),
                        org.assertj.core.api.Assertions.tuple("spec.function",
                                "no Function named 'greeter' in namespace 'demo'"));
    }

    @Test
    void theDocumentHoldsOnlyWhatAFileWouldHold() {
        HasMetadata served = asServed(resource("""
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: default}
                spec: {partitions: 6}
                """));

        assertThat(CoreResources.document(served)).isEqualTo(JsonNodeFactory.instance.objectNode()
                .put("apiVersion", "surge.dev/v1alpha1").put("kind", "Broker")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("metadata", JsonNodeFactory.instance.objectNode()
                        .put("name", "default").put("namespace", "default"))
                .set("spec", JsonNodeFactory.instance.objectNode().put("partitions", 6)));
    }

    private static HasMetadata resource(String yaml) {
        return SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class);
    }

    /** What the API server adds to a stored resource, which a file never has. */
    private static HasMetadata asServed(HasMetadata resource) {
        var metadata = resource.getMetadata();
        if (metadata.getNamespace() == null) {
            metadata.setNamespace("default");
        }
        metadata.setUid("6f1c2f4e-1d0b-4a8e-9a55-2f3f4a1b7c9d");
        metadata.setResourceVersion("4711");
        metadata.setGeneration(3L);
        metadata.setCreationTimestamp("2026-11-24T10:00:00Z");
        metadata.setLabels(Map.of("app.kubernetes.io/part-of", "shop"));
        metadata.setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"));
        metadata.setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply")
                .withApiVersion("surge.dev/v1alpha1").build()));
        if (resource instanceof GenericKubernetesResource generic) {
            generic.setAdditionalProperty("status", Map.of("observedGeneration", 3, "conditions", List.of(
                    Map.of("type", "Ready", "status", "True", "reason", "Reconciled", "message", "",
                            "lastTransitionTime", "2026-11-24T10:00:01Z"))));
        }
        return resource;
    }
}
