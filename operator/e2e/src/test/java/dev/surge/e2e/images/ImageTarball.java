package dev.surge.e2e.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One image as {@code docker load} receives it (the docker-save format Jib writes): its names, its configuration and
 * the files of its layers.
 *
 * @param repoTags the names it is loaded as, e.g. {@code registry.example.com/acme/surge-runtime:0.1.0-SNAPSHOT}
 * @param config the image's run configuration: {@code Entrypoint}, {@code Cmd}, {@code User}, {@code WorkingDir},
 *     {@code ExposedPorts}, {@code Env}
 * @param files every path of every layer (without a leading {@code /}), base image first, to its Unix mode
 */
public record ImageTarball(List<String> repoTags, JsonNode config, Map<String, Integer> files) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ImageTarball read(Path tarball) {
        Map<String, byte[]> metadata = new HashMap<>();
        Map<String, Map<String, Integer>> layers = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(
                new BufferedInputStream(Files.newInputStream(tarball)))) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (!entry.isFile()) {
                    continue;
                }
                if (entry.getName().endsWith(".json")) {
                    metadata.put(entry.getName(), in.readAllBytes());
                } else {
                    layers.put(entry.getName(), files(in));
                }
            }
            JsonNode manifests = JSON.readTree(required(metadata, "manifest.json", tarball));
            if (manifests.size() != 1) {
                throw new IllegalStateException(tarball + ": expected one image in manifest.json, found " + manifests);
            }
            JsonNode manifest = manifests.get(0);
            JsonNode config = JSON.readTree(required(metadata, manifest.path("Config").asText(), tarball));
            Map<String, Integer> files = new LinkedHashMap<>();
            for (JsonNode layer : manifest.path("Layers")) {
                Map<String, Integer> layerFiles = layers.get(layer.asText());
                if (layerFiles == null) {
                    throw new IllegalStateException(tarball + ": manifest.json names a missing layer " + layer);
                }
                files.putAll(layerFiles);
            }
            List<String> tags = JSON.convertValue(manifest.path("RepoTags"),
                    JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            return new ImageTarball(tags, config.path("config"), files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image tarball " + tarball, e);
        }
    }

    /** The one name the image was loaded as; fails when it has none or several. */
    public String name() {
        if (repoTags.size() != 1) {
            throw new IllegalStateException("expected one name for the image, found " + repoTags);
        }
        return repoTags.get(0);
    }

    private static byte[] required(Map<String, byte[]> metadata, String name, Path tarball) {
        byte[] content = metadata.get(name);
        if (content == null) {
            throw new IllegalStateException(tarball + " has no " + name + ", only " + metadata.keySet());
        }
        return content;
    }

    /** The paths and modes of one layer, a tar or a gzipped tar, read from the current entry of the image tarball. */
    private static Map<String, Integer> files(InputStream entry) throws IOException {
        InputStream layer = new BufferedInputStream(entry);
        layer.mark(2);
        boolean gzip = layer.read() == 0x1f && layer.read() == 0x8b;
        layer.reset();
        // Not closed: closing would close the image tarball's stream, which the caller goes on reading.
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip ? new GZIPInputStream(layer) : layer);
        Map<String, Integer> files = new LinkedHashMap<>();
        for (TarArchiveEntry file; (file = tar.getNextEntry()) != null; ) {
            String name = file.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
            files.put(name, file.getMode());
        }
        return files;
    }
}
