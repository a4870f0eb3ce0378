package dev.surge.kubernetes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated CRDs as a real API server (1.20 here, 1.26+ for users) and kubectl need them. */
class CrdStructureTest {

    @Test
    void theJarShipsOneCrdPerKindAtItsDocumentedPlaceAsTheGeneratorWroteThem() throws Exception {
        List<CustomResourceDefinition> crds = SurgeCrds.all();

        assertThat(crds).extracting(c -> c.getMetadata().getName(), c -> c.getSpec().getNames().getKind(),
                c -> c.getSpec().getNames().getPlural(), c -> c.getSpec().getNames().getShortNames(),
                c -> c.getSpec().getNames().getCategories(), c -> c.getSpec().getScope())
                .containsExactly(
                        tuple("brokers.surge.dev", "Broker", "brokers", List.of("sbroker"), List.of("surge"), "Namespaced"),
                        tuple("functions.surge.dev", "Function", "functions", List.of("sfn"), List.of("surge"),
                                "Namespaced"),
                        tuple("triggers.surge.dev", "Trigger", "triggers", List.of("strigger"), List.of("surge"),
                                "Namespaced"));
        for (String file : SurgeCrds.FILES) {
            // the generator's default output (target/classes/META-INF/fabric8) and the copy are the same file
            Path classes = Path.of("target/classes");
            assertThat(Files.readString(classes.resolve(SurgeCrds.LOCATION + file)))
                    .isEqualTo(Files.readString(classes.resolve("META-INF/fabric8/" + file)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "Broker", "Function", "Trigger" })
    void oneServedStoredVersionWithTheStatusSubresource(String kind) {
        CustomResourceDefinition crd = CrdValidator.of(kind).crd();

        assertThat(crd.getSpec().getGroup()).isEqualTo("surge.dev");
        assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("v1alpha1");
            assertThat(v.getServed()).isTrue();
            assertThat(v.getStorage()).isTrue();
            assertThat(v.getSubresources().getStatus()).isNotNull();
        });
    }

    @Test
    void printerColumnsShowWhatKubectlGetShouldShow() {
        // fabric8's generator orders columns by JSONPath, hence Age first
        assertThat(columns("Function")).containsExactly(
                tuple("Age", ".metadata.creationTimestamp", "date", 0),
                tuple("Image", ".spec.image", "string", 1),
                tuple("Lag", ".status.lag", "integer", 0),
                tuple("Ready", ".status.readyReplicas", "integer", 0),
                tuple("Replicas", ".status.replicas", "integer", 0));
        assertThat(columns("Broker")).containsExactly(
                tuple("Age", ".metadata.creationTimestamp", "date", 0),
                tuple("Address", ".status.address", "string", 0),
                tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status", "string", 0),
                tuple("Topic", ".status.topic", "string", 1));
        assertThat(columns("Trigger")).containsExactly(
                tuple("Age", ".metadata.creationTimestamp", "date", 0),
                tuple("Broker", ".spec.broker", "string", 0),
                tuple("Function", ".spec.function", "string", 0),
                tuple("URI", ".spec.uri", "string", 0),
                tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status", "string", 0),
                tuple("Consumer Group", ".status.consumerGroup", "string", 1),
                tuple("Lag", ".status.lag", "integer", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Broker", "Function", "Trigger" })
    void theSchemaIsStructural(String kind) {
        List<String> wrong = new ArrayList<>();
        structural(CrdValidator.of(kind).schema(), "", wrong);

        assertThat(wrong).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Broker", "Function", "Trigger" })
    void metadataRestrictsOnlyTheNameToTheCoresDnsLabel(String kind) {
        JsonNode metadata = CrdValidator.of(kind).schema().path("properties").path("metadata");

        assertThat(metadata.path("properties").size()).isEqualTo(1);
        // a Function's name is its Service's too, which must start with a letter
        assertThat(metadata.path("properties").path("name").path("pattern").asText())
                .isEqualTo(kind.equals("Function") ? DnsLabelNames.PATTERN_1035 : DnsLabelNames.PATTERN);
        assertThat(metadata.path("properties").path("name").path("maxLength").asLong()).isEqualTo(63);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Broker", "Function", "Trigger" })
    void everyPatternCompilesInRe2AsOnTheApiServer(String kind) {
        List<String> patterns = new ArrayList<>();
        CrdValidator.of(kind).schema().findParents("pattern").forEach(n -> patterns.add(n.get("pattern").asText()));

        assertThat(patterns).isNotEmpty().allSatisfy(p -> assertThatCode(() -> com.google.re2j.Pattern.compile(p))
                .doesNotThrowAnyException());
    }

    @Test
    void theCelRulesCompileAndUseOnlyWhatKubernetes126Knows() {
        Map<String, List<String>> rules = Map.of(
                "Broker", List.of("self.mode != 'tokens' || has(self.tokens)", "self.mode != 'oidc' || has(self.oidc)",
                        "self.mode == 'tokens' || !has(self.tokens)", "self.mode == 'oidc' || !has(self.oidc)",
                        "has(self.subject) || has(self.claims)", "has(self.file) || has(self.secretRef)"),
                "Function", List.of("has(self.image) || has(self.path)",
                        "!has(self.maxReplicas) || self.maxReplicas >= (has(self.minReplicas) ? self.minReplicas : 0)"),
                "Trigger", List.of("has(self.function) != has(self.uri)"));
        rules.forEach((kind, expected) -> {
            var actual = CrdValidator.of(kind).rules();
            assertThat(actual).extracting(r -> r.getRule()).containsExactlyInAnyOrderElementsOf(expected);
            // reason, fieldPath (1.28) and messageExpression (1.27) would be unknown fields to a 1.26 server
            assertThat(actual).allSatisfy(r -> {
                assertThat(r.getMessage()).isNotBlank();
                assertThat(r.getReason()).isNull();
                assertThat(r.getFieldPath()).isNull();
                assertThat(r.getMessageExpression()).isNull();
                assertThatCode(() -> CrdValidator.compile(r.getRule())).doesNotThrowAnyException();
            });
        });
    }

    private static List<org.assertj.core.groups.Tuple> columns(String kind) {
        CustomResourceDefinitionVersion version = CrdValidator.of(kind).crd().getSpec().getVersions().get(0);
        return version.getAdditionalPrinterColumns().stream()
                .map(c -> tuple(c.getName(), c.getJsonPath(), c.getType(), c.getPriority())).toList();
    }

    /**
     * Kubernetes' rules for a structural schema, as far as a schema without allOf/anyOf/oneOf/not can break them:
     * every node has a type, unless it preserves unknown fields or is int-or-string; and an object that names no
     * properties says what its values are, or the API server prunes everything in it.
     */
    private static void structural(JsonNode schema, String path, List<String> wrong) {
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean(false);
        String type = schema.path("type").asText("");
        if (type.isEmpty() && !preserve && !intOrString) {
            wrong.add(path + ": no type");
        }
        if ("object".equals(type) && !schema.has("properties") && !schema.has("additionalProperties") && !preserve) {
            wrong.add(path + ": an object without properties, additionalProperties or preserve-unknown-fields");
        }
        if ("array".equals(type) && !schema.has("items")) {
            wrong.add(path + ": an array without items");
        }
        schema.path("properties").fields().forEachRemaining(p -> structural(p.getValue(), path + "." + p.getKey(),
                wrong));
        if (schema.has("items")) {
            structural(schema.get("items"), path + "[]", wrong);
        }
        if (schema.path("additionalProperties").isObject()) {
            structural(schema.get("additionalProperties"), path + "{}", wrong);
        }
    }
}
