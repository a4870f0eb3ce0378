package dev.surge.e2e.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A base image for Jib with no registry to pull one from: a docker-save tarball of one layer that holds one file,
 * {@link #MARKER}, given to the build as {@code quarkus.jib.base-jvm-image=tar://<path>}. Its presence in a built
 * image shows the image was built on the base it was given.
 */
public final class BaseImage {
    public static final String MARKER = "etc/surge-test-base-image";

    private BaseImage() {
    }

    public static Path write(Path tarball) throws IOException {
        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(layer)) {
            directory(tar, "etc/");
            file(tar, MARKER, "the base image of ContainerImagesIT\n".getBytes(StandardCharsets.UTF_8));
        }
        String config = """
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/bin:/usr/bin:/bin"]},\
                "rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}""".formatted(sha256(layer.toByteArray()));
        String manifest = """
                [{"Config":"config.json","RepoTags":["surge-test/base:1"],"Layers":["layer.tar"]}]""";
        Files.createDirectories(tarball.getParent());
        try (OutputStream out = Files.newOutputStream(tarball);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            file(tar, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
            file(tar, "config.json", config.getBytes(StandardCharsets.UTF_8));
            file(tar, "layer.tar", layer.toByteArray());
        }
        return tarball;
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100644);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
