package dev.surge.kubernetes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example custom resources under {@code examples/} of this module's test resources (also in its test-jar),
 * one resource per file, in folders by what the reader of surge.yaml and the CRDs make of them:
 * <ul>
 * <li>{@code valid}: both accept; together they are one consistent surge.yaml (references resolve)
 * <li>{@code invalid}: both refuse; each breaks one rule, and its {@code # field:} line names the field the reader
 * reports
 * <li>{@code reader-only}: the reader refuses (naming the field), the CRD's schema cannot say why; the operator
 * reports the reader's problem in the resource's status
 * <li>{@code schema-stricter}: surge.yaml accepts a spelling that the CRD refuses
 * </ul>
 */
public final class Examples {
    public static final List<String> FOLDERS = List.of("valid", "invalid", "reader-only", "schema-stricter");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One example file. */
    public record Example(String folder, String name, String text) {
        public JsonNode document() {
            try {
                return YAML.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String kind() {
            return document().path("kind").asText();
        }

        /** The field the reader must name, from the file's {@code # field:} line; null when none. */
        public String field() {
            return text.lines().filter(l -> l.startsWith("# field: ")).map(l -> l.substring(9).trim()).findFirst()
                    .orElse(null);
        }

        @Override
        public String toString() {
            return folder + "/" + name;
        }
    }

    private Examples() {
    }

    /** @param folder one of {@link #FOLDERS} */
    public static List<Example> in(String folder) {
        try {
            URI uri = Examples.class.getResource("/examples/" + folder).toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    FileSystems.newFileSystem(uri, Map.of());
                }
            }
            try (Stream<Path> files = Files.list(Path.of(uri))) {
                return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                        .map(f -> new Example(folder, f.getFileName().toString(), read(f))).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
