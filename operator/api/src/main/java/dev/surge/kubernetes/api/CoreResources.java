package dev.surge.kubernetes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.resource.Problem;
import dev.surge.core.resource.Resource;
import dev.surge.core.resource.ResourceLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns custom resources (typed {@link Broker}, {@link Function}, {@link Trigger}, or fabric8's
 * {@code GenericKubernetesResource}) into the core's resources through the same readers as {@code surge.yaml}, so
 * that a cluster and {@code surge validate} never disagree on what is valid, and problems name the same fields.
 *
 * <p>Each resource is rebuilt as the document a file would hold: apiVersion, kind, {@code metadata.name} and
 * {@code metadata.namespace}, and spec. What the API server adds (uid, resourceVersion, generation,
 * managedFields, labels, annotations, status) is left out: the core would not use it, and its file reader calls
 * some of it unknown. Each resource keeps its own result, so one invalid resource never hides the valid ones.
 */
public final class CoreResources {
    /** How problems name where the resources come from (their Kind/name is in each problem too). */
    public static final String SOURCE = "kubernetes";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Path baseDir;

    /**
     * @param baseDir folder that a Function's relative {@code spec.path} (local mode) is resolved against, as
     *                the folder of surge.yaml is for a file
     */
    public CoreResources(Path baseDir) {
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
    }

    /**
     * One custom resource and what the core made of it.
     *
     * @param source   the custom resource as given
     * @param resource the core's resource, or null when there are problems
     * @param problems what the core's readers found wrong, each naming the field (e.g. {@code spec.broker})
     */
    public record Read(HasMetadata source, Resource resource, List<Problem> problems) {
        public Read {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return resource != null && problems.isEmpty();
        }
    }

    /** Reads one resource on its own: its fields only; what it references is not looked for. */
    public Read read(HasMetadata resource) {
        return readAll(List.of(resource), false).get(0);
    }

    /**
     * Reads resources that belong together (e.g. every Surge resource the informers hold): as {@link #read}, and
     * also names unique per kind and namespace, and every Broker and Function a Trigger names among them.
     *
     * @return one result per resource, in the order given
     */
    public List<Read> readAll(List<? extends HasMetadata> resources) {
        return readAll(resources, true);
    }

    private List<Read> readAll(List<? extends HasMetadata> resources, boolean checkReferences) {
        List<JsonNode> documents = resources.stream().map(r -> (JsonNode) document(r)).toList();
        List<ResourceLoader.DocumentRead> reads = ResourceLoader.readEach(documents, SOURCE, baseDir, checkReferences);
        List<Read> results = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            results.add(new Read(resources.get(i), reads.get(i).resource(), reads.get(i).problems()));
        }
        return results;
    }

    /**
     * The document that surge.yaml would hold for {@code resource}: apiVersion, kind, metadata (name and
     * namespace only) and spec, as the resource has them.
     */
    public static ObjectNode document(HasMetadata resource) {
        JsonNode whole = SERIALIZATION.convertValue(resource, JsonNode.class);
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        copy(whole, document, "apiVersion");
        copy(whole, document, "kind");
        ObjectNode metadata = document.putObject("metadata");
        copy(whole.path("metadata"), metadata, "name");
        copy(whole.path("metadata"), metadata, "namespace");
        copy(whole, document, "spec");
        return document;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(field, value);
        }
    }
}
