package dev.surge.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The charts of this module ({@code helm/surge}, {@code helm/function}) linted and rendered by Helm 3 in this JVM
 * (helm-java), as {@code helm lint} and {@code helm template} would.
 */
public final class Charts {
    public static final String SURGE = "surge";
    public static final String FUNCTION = "function";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger VALUES_FILES = new AtomicInteger();

    private Charts() {
    }

    /** The chart's folder: {@code helm/<name>}. */
    public static Path dir(String chart) {
        return Path.of(System.getProperty("surge.charts.dir", ".")).toAbsolutePath().normalize().resolve(chart);
    }

    public static LintResult lintStrict(String chart) {
        return new Helm(dir(chart)).lint().strict().call();
    }

    /** What one {@code helm template} rendered, CRDs included. */
    public record Rendered(List<JsonNode> objects, String text) {
        public List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        }

        /** The object of that kind and name; fails when there is not exactly one. */
        public JsonNode get(String kind, String name) {
            List<JsonNode> found = ofKind(kind).stream()
                    .filter(o -> o.path("metadata").path("name").asText().equals(name)).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + " " + name + ", found " + found.size() + " among "
                        + objects.stream().map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name")
                                .asText()).toList());
            }
            return found.get(0);
        }
    }

    /**
     * Renders {@code chart} as release {@code release} in {@code namespace} with the chart's values overridden by
     * {@code valuesYaml} (a values file's text; empty for the defaults).
     *
     * @param kubeVersion the cluster version the chart is rendered for, e.g. 1.26.0
     * @throws IllegalStateException with Helm's message when it refuses the values or a template fails
     */
    public static Rendered render(String chart, String release, String namespace, String valuesYaml,
            String kubeVersion) {
        TemplateCommand template = new Helm(dir(chart)).template().withName(release).withNamespace(namespace)
                .withKubeVersion(kubeVersion);
        if (!valuesYaml.isBlank()) {
            template = template.withValuesFile(valuesFile(valuesYaml));
        }
        String text = template.call();
        return new Rendered(parse(text), text);
    }

    public static Rendered render(String chart, String valuesYaml) {
        return render(chart, chart.equals(SURGE) ? "surge" : "greeter", chart.equals(SURGE) ? "surge" : "demo",
                valuesYaml, "1.26.0");
    }

    /**
     * What {@code helm install --dry-run=client} prints after the manifest: the chart's NOTES.txt as rendered for
     * release {@code release} in {@code namespace} with {@code valuesYaml}.
     */
    public static String notes(String chart, String release, String namespace, String valuesYaml) {
        var install = new Helm(dir(chart)).install().withName(release).withNamespace(namespace).clientOnly().dryRun();
        if (!valuesYaml.isBlank()) {
            install = install.withValuesFile(valuesFile(valuesYaml));
        }
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("no NOTES in Helm's output:\n" + output);
        }
        return output.substring(notes + "NOTES:".length());
    }

    /** The documents of a multi-document YAML text; empty documents (comments only) are left out. */
    public static List<JsonNode> parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser parser = YAML.getFactory().createParser(yaml)) {
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node != null && !node.isNull() && !node.isMissingNode() && node.size() > 0) {
                    objects.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Helm's output is not YAML:\n" + yaml, e);
        }
        return objects;
    }

    private static Path valuesFile(String yaml) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "helm-values").toAbsolutePath());
            Path file = dir.resolve("values-" + ProcessHandle.current().pid() + "-" + VALUES_FILES.incrementAndGet()
                    + ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
