package dev.surge.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ResourceLoader#readEach}: documents read one by one, as custom resources are in a cluster. */
class ResourceLoaderReadEachTest {
    private static final Path BASE = Path.of("/home/ada/shop");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String BROKER = "{apiVersion: surge.dev/v1alpha1, kind: Broker, metadata: {name: default,"
            + " namespace: shop}}";
    private static final String BAD_FUNCTION = "{apiVersion: surge.dev/v1alpha1, kind: Function, metadata: {name: pay,"
            + " namespace: shop}, spec: {path: pay, port: 0}}";
    private static final String TRIGGER = "{apiVersion: surge.dev/v1alpha1, kind: Trigger, metadata: {name: audit,"
            + " namespace: shop}, spec: {broker: default, function: pay}}";

    @Test
    void oneWrongDocumentDoesNotHideTheOthers() throws Exception {
        List<ResourceLoader.DocumentRead> reads = ResourceLoader.readEach(docs(BROKER, BAD_FUNCTION, TRIGGER),
                "cluster", BASE, true);

        assertThat(reads).extracting(ResourceLoader.DocumentRead::document, ResourceLoader.DocumentRead::valid)
                .containsExactly(tuple(1, true), tuple(2, false), tuple(3, true));
        assertThat(reads.get(1).resource()).isNull();
        assertThat(reads.get(1).problems()).extracting(Problem::toString).containsExactly(
                "cluster: document 2 (Function/pay): spec.port: must be a whole number from 1 to 65535, not '0'");
        assertThat(reads.get(2).resource()).isInstanceOf(Trigger.class);
    }

    @Test
    void referencesAreCheckedAmongTheDocumentsOnlyWhenAsked() throws Exception {
        assertThat(ResourceLoader.readEach(docs(TRIGGER), "cluster", BASE, false).get(0).valid()).isTrue();

        assertThat(ResourceLoader.readEach(docs(TRIGGER), "cluster", BASE, true).get(0).problems())
                .extracting(Problem::field).containsExactly("spec.broker", "spec.function");
    }

    @Test
    void theSameDocumentsReadAsParseReadsThem() throws Exception {
        String good = BROKER + "\n---\n" + BAD_FUNCTION.replace("port: 0", "port: 80") + "\n---\n" + TRIGGER;

        List<Resource> each = new ArrayList<>();
        ResourceLoader.readEach(docs(good.split("\n---\n")), "surge.yaml", BASE, true)
                .forEach(r -> each.add(r.resource()));

        ResourceSet parsed = ResourceLoader.parse(good, "surge.yaml", BASE);
        assertThat(each).containsExactly(parsed.brokers().get(0), parsed.functions().get(0), parsed.triggers().get(0));
    }

    private static List<JsonNode> docs(String... yaml) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String y : Arrays.asList(yaml)) {
            out.add(YAML.readTree(y));
        }
        return out;
    }
}
