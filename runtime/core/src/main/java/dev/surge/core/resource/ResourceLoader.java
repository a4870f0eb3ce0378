package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads Broker, Function and Trigger documents (API group {@code surge.dev/v1alpha1}) from a multi-document
 * YAML file such as {@code surge.yaml}, validates every field and the references between resources, and
 * reports every problem with the file, document, field and reason.
 *
 * <p>The steps, each in its own class: {@link YamlDocuments} splits the text; this class checks each document's
 * envelope ({@code apiVersion}, {@code kind}, {@code metadata}); a {@link SpecReader} per kind reads the
 * {@code spec}; {@link References} checks names and references across documents.
 */
public final class ResourceLoader {
    public static final String API_VERSION = "surge.dev/v1alpha1";
    private static final Set<String> RESERVED_NAMESPACES = Set.of("q", "functions");

    private ResourceLoader() {
    }

    public static ResourceSet load(Path file) throws InvalidResourcesException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidResourcesException(List.of(new Problem(file.toString(), 0, null, null,
                    "file not found (working directory " + Path.of("").toAbsolutePath() + ")")));
        } catch (IOException e) {
            throw new InvalidResourcesException(List.of(new Problem(file.toString(), 0, null, null,
                    "cannot read: " + e.getMessage())));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), base);
    }

    /**
     * @param source  how the user names the text (a file path), used in problems
     * @param baseDir folder that relative function paths are resolved against
     * @throws InvalidResourcesException with every problem found, when there is any
     */
    public static ResourceSet parse(String yaml, String source, Path baseDir) throws InvalidResourcesException {
        List<JsonNode> documents = YamlDocuments.read(yaml, source);
        List<Problem> problems = new ArrayList<>();
        List<Declared<?>> declared = new ArrayList<>();
        Readers readers = new Readers(new BrokerSpecReader(baseDir), new FunctionSpecReader(baseDir), new TriggerSpecReader());
        for (int i = 0; i < documents.size(); i++) {
            JsonNode doc = documents.get(i);
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue; // an empty document, e.g. after a trailing '---'
            }
            Declared<?> resource = readDocument(doc, source, i + 1, readers, problems);
            if (resource != null) {
                declared.add(resource);
            }
        }
        References.check(declared);
        if (!problems.isEmpty()) {
            throw new InvalidResourcesException(problems);
        }
        List<Broker> brokers = new ArrayList<>();
        List<Function> functions = new ArrayList<>();
        List<Trigger> triggers = new ArrayList<>();
        for (Declared<?> d : declared) {
            if (d.resource() instanceof Broker b) {
                brokers.add(b);
            } else if (d.resource() instanceof Function f) {
                functions.add(f);
            } else if (d.resource() instanceof Trigger t) {
                triggers.add(t);
            }
        }
        return new ResourceSet(brokers, functions, triggers);
    }

    /**
     * One document read on its own, as a custom resource is in a cluster: its resource when it has no problem,
     * else its problems. Unlike {@link #parse}, one wrong document does not hide the others.
     *
     * @param document 1-based index of the document in the list given to {@link #readEach}
     * @param resource the resource, or null when the document has a problem (or is empty)
     * @param problems this document's problems, named as {@link #parse} names them
     */
    public record DocumentRead(int document, Resource resource, List<Problem> problems) {
        public DocumentRead {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty() && resource != null;
        }
    }

    /**
     * Reads already-parsed documents (e.g. custom resources from the Kubernetes API) with the same readers as
     * {@link #parse}, and reports each document's result on its own.
     *
     * @param source          how problems name where the documents come from
     * @param baseDir         folder that relative function paths are resolved against
     * @param checkReferences whether names must be unique and Triggers' brokers and functions must be among
     *                        {@code documents} (false for a resource read alone); a problem found so is
     *                        reported at the document that declares the offending resource
     * @return one result per document, in order; an empty (null) document gives a result without resource
     *         or problem
     */
    public static List<DocumentRead> readEach(List<JsonNode> documents, String source, Path baseDir,
            boolean checkReferences) {
        Readers readers = new Readers(new BrokerSpecReader(baseDir), new FunctionSpecReader(baseDir), new TriggerSpecReader());
        List<List<Problem>> problems = new ArrayList<>();
        List<Declared<?>> read = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            JsonNode doc = documents.get(i);
            List<Problem> own = new ArrayList<>();
            problems.add(own);
            boolean empty = doc == null || doc.isNull() || doc.isMissingNode();
            read.add(empty ? null : readDocument(doc, source, i + 1, readers, own));
        }
        if (checkReferences) {
            References.check(read.stream().filter(d -> d != null).toList());
        }
        List<DocumentRead> results = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            Declared<?> d = read.get(i);
            List<Problem> own = problems.get(i);
            results.add(new DocumentRead(i + 1, d == null || !own.isEmpty() ? null : d.resource(), own));
        }
        return results;
    }

    private record Readers(BrokerSpecReader broker, FunctionSpecReader function, TriggerSpecReader trigger) {
    }

    /** Checks the envelope and reads the spec of one document; null when no resource could be made of it. */
    private static Declared<?> readDocument(JsonNode doc, String source, int document, Readers readers,
            List<Problem> problems) {
        if (!doc.isObject()) {
            new DocumentFields(source, document, null, problems)
                    .problem(null, "a document must be a mapping with apiVersion, kind, metadata and spec");
            return null;
        }
        String kind = doc.path("kind").asText(null);
        String name = doc.path("metadata").path("name").asText(null);
        DocumentFields fields = new DocumentFields(source, document,
                (kind == null ? "?" : kind) + "/" + (name == null ? "?" : name), problems);
        fields.unknownFields(doc, "", Set.of("apiVersion", "kind", "metadata", "spec", "status"));
        String apiVersion = doc.path("apiVersion").asText(null);
        if (apiVersion == null) {
            fields.problem("apiVersion", "is required; use " + API_VERSION);
        } else if (!API_VERSION.equals(apiVersion)) {
            fields.problem("apiVersion", "'" + apiVersion + "' is not supported; use " + API_VERSION);
        }
        Metadata metadata = metadata(doc.path("metadata"), "Function".equals(kind), fields);
        JsonNode spec = doc.path("spec");
        if (!spec.isMissingNode() && !spec.isObject()) {
            fields.problem("spec", "must be a mapping");
            return null;
        }
        if (kind == null) {
            fields.problem("kind", "is required; use Broker, Function or Trigger");
            return null;
        }
        Resource resource = switch (kind) {
            case "Broker" -> readers.broker().read(metadata, spec, fields);
            case "Function" -> readers.function().read(metadata, spec, fields);
            case "Trigger" -> readers.trigger().read(metadata, spec, fields);
            default -> {
                fields.problem("kind", "'" + kind + "' is not a Surge resource; use Broker, Function or Trigger");
                yield null;
            }
        };
        return resource == null ? null : new Declared<>(resource, fields);
    }

    /** @param serviceName whether the name also names a Kubernetes Service (a Function's), so must start with a letter */
    private static Metadata metadata(JsonNode node, boolean serviceName, DocumentFields fields) {
        if (node.isMissingNode()) {
            fields.problem("metadata", "is required with at least a name");
            return null;
        }
        if (!node.isObject()) {
            fields.problem("metadata", "must be a mapping");
            return null;
        }
        fields.unknownFields(node, "metadata.", Set.of("name", "namespace", "labels", "annotations"));
        String name = serviceName ? fields.dns1035Label(node, "metadata.", "name", "the Function's Kubernetes Service")
                : fields.dnsLabel(node, "metadata.", "name", null);
        String namespace = fields.dnsLabel(node, "metadata.", "namespace", Metadata.DEFAULT_NAMESPACE);
        if (namespace != null && RESERVED_NAMESPACES.contains(namespace)) {
            fields.problem("metadata.namespace", "'" + namespace + "' is reserved for the runtime's /" + namespace
                    + "/ endpoints");
        }
        return name == null || namespace == null ? null : new Metadata(name, namespace);
    }
}
