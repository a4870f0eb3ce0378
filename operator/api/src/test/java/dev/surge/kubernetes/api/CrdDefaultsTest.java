package dev.surge.kubernetes.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.surge.core.resource.ResourceLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRDs' defaults are the core's: a resource that the API server filled in with the schema's defaults reads
 * as the same resource as the one the user wrote without them.
 */
class CrdDefaultsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Broker   | {}",
        "Function | {image: 'greeter:1', scaling: {}}",
        "Function | {image: 'greeter:1', scaling: {minReplicas: 7}}",
        "Trigger  | {broker: default, function: greeter, delivery: {}}",
        "Trigger  | {broker: default, uri: 'http://x.example/', delivery: {deadLetterSink: {topic: dead}}}" })
    void defaultsFilledInByTheApiServerReadAsTheCoresDefaults(String kind, String spec) throws Exception {
        JsonNode written = YAML.readTree("{apiVersion: surge.dev/v1alpha1, kind: " + kind
                + ", metadata: {name: example, namespace: default}, spec: " + spec + "}");
        CrdValidator crd = CrdValidator.of(kind);

        JsonNode stored = crd.admit(written);

        assertThat(stored).as("defaults were added").isNotEqualTo(written);
        assertThat(crd.violations(stored)).isEmpty();
        List<ResourceLoader.DocumentRead> reads = ResourceLoader.readEach(List.of(written, stored), "defaults",
                Path.of("/srv"), false);
        assertThat(reads).allMatch(ResourceLoader.DocumentRead::valid);
        assertThat(reads.get(1).resource()).isEqualTo(reads.get(0).resource());
    }
}
