package dev.surge.e2e.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Container images of Surge's Quarkus apps built for real by a child Maven run, offline, with the Jib configuration
 * they ship ({@code quarkus-container-image-jib} and their {@code application.properties}), with no Docker engine and
 * no registry, and without writing anything the outer build made.
 *
 * <p>The child runs on a scratch copy of the build: every {@code pom.xml} of the reactor, the Maven Wrapper, and the
 * apps' compiled {@code target/classes} (it does not compile: {@code maven.main.skip}), so every {@code target/} it
 * writes is its own. The apps' Surge dependencies ({@code surge-core}, {@code surge-kubernetes-api}, …) come from a
 * scratch local repository laid out from the outer build's jars, in front of the user's local repository, which it
 * only reads (Maven 3.9's {@code maven.repo.local.tail}): nothing is installed anywhere. Jib builds on a
 * {@link BaseImage} and hands each image to a stand-in {@code docker} CLI, whose {@code docker load} keeps the tarball.
 */
public final class OfflineImageBuild {
    private final Path root;
    private final Path scratch;
    private final Path userRepository;

    /**
     * @param root Surge's checkout, built up to {@code package}
     * @param scratch an empty folder of this build's own (under {@code target/})
     * @param userRepository the outer build's local repository, read only
     */
    public OfflineImageBuild(Path root, Path scratch, Path userRepository) {
        this.root = root;
        this.scratch = scratch;
        this.userRepository = userRepository;
    }

    /**
     * Builds the images of {@code apps} (module folders, e.g. {@code runtime/app}) as
     * {@code ./mvnw package -pl APPS -Dquarkus.container-image.build=true} does, with {@code properties} added.
     *
     * @return the image tarballs that {@code docker load} received
     * @throws AssertionError with the end of Maven's output when the build fails or outlasts {@code timeout}
     */
    public List<Path> build(List<String> apps, Map<String, String> properties, Duration timeout)
            throws IOException, InterruptedException {
        layOut(apps);
        Path docker = scratch.resolve("docker");
        Files.createDirectories(docker);
        Path standIn = docker.resolve("docker");
        try (var script = OfflineImageBuild.class.getResourceAsStream("/images/docker")) {
            Files.copy(script, standIn, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path base = BaseImage.write(scratch.resolve("base.tar"));

        List<String> command = new ArrayList<>(List.of(scratch.resolve("mvnw").toString(), "-o", "-B", "package",
                "-pl", String.join(",", apps),
                "-Dmaven.repo.local=" + scratch.resolve("repository"),
                "-Dmaven.repo.local.tail=" + userRepository,
                "-Dmaven.main.skip=true", "-Dmaven.test.skip=true",
                "-Dquarkus.container-image.build=true",
                "-Dquarkus.jib.base-jvm-image=tar://" + base,
                "-Dquarkus.jib.offline-mode=true",
                "-Dquarkus.jib.docker-executable-name=" + standIn,
                // Jib's caches, else under the user's home.
                "-Dquarkus.jib.base-image-layers-cache=" + scratch.resolve("jib-cache/base"),
                "-Dquarkus.jib.application-layers-cache=" + scratch.resolve("jib-cache/application")));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        Path log = scratch.resolveSibling(scratch.getFileName() + ".log");
        Process maven = new ProcessBuilder(command).directory(scratch.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!maven.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the image build took longer than " + timeout + "; its output, " + log
                        + ", ends with:\n" + tail(log));
            }
            if (maven.exitValue() != 0) {
                throw new AssertionError("the image build failed (exit code " + maven.exitValue() + "): "
                        + String.join(" ", command) + "\nIts output, " + log + ", ends with:\n" + tail(log));
            }
        } finally {
            stop(maven);
        }
        Path loaded = docker.resolve("loaded");
        if (!Files.isDirectory(loaded)) {
            return List.of();
        }
        try (Stream<Path> tarballs = Files.list(loaded)) {
            return tarballs.filter(p -> p.toString().endsWith(".tar")).sorted().toList();
        }
    }

    private void layOut(List<String> apps) throws IOException {
        Files.createDirectories(scratch);
        Files.copy(root.resolve("mvnw"), scratch.resolve("mvnw"), StandardCopyOption.COPY_ATTRIBUTES);
        copyTree(root.resolve(".mvn"), scratch.resolve(".mvn"));
        Set<Path> built = Set.copyOf(apps.stream().map(Path::of).toList());
        for (Path pom : reactorPoms()) {
            Path module = root.relativize(pom.getParent());
            Path copy = scratch.resolve(module).resolve("pom.xml");
            Files.createDirectories(copy.getParent());
            Files.copy(pom, copy, StandardCopyOption.COPY_ATTRIBUTES);
            if (built.contains(module)) {
                Path classes = pom.resolveSibling("target/classes");
                if (!Files.isDirectory(classes)) {
                    throw new IllegalStateException(classes + " is missing: package " + module + " first");
                }
                copyTree(classes, scratch.resolve(module).resolve("target/classes"));
            } else {
                install(pom);
            }
        }
    }

    /** Lays out a module's POM, jar and test-jar (when built) in the scratch repository, as install would. */
    private void install(Path pom) throws IOException {
        Element project = parse(pom);
        String groupId = text(project, "groupId", true);
        String artifactId = text(project, "artifactId", false);
        String version = text(project, "version", true);
        Path dir = scratch.resolve("repository").resolve(groupId.replace('.', '/')).resolve(artifactId)
                .resolve(version);
        Files.createDirectories(dir);
        String base = artifactId + "-" + version;
        Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        for (String file : List.of(base + ".jar", base + "-tests.jar")) {
            Path built = pom.resolveSibling("target").resolve(file);
            if (Files.isRegularFile(built)) {
                Files.copy(built, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Every pom.xml of the checkout outside target/ and src/ (the archetype's and test projects' are not modules). */
    private List<Path> reactorPoms() throws IOException {
        List<Path> poms = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean skip = !dir.equals(root) && (name.equals("target") || name.equals("src")
                        || name.startsWith(".") || name.equals("node_modules"));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.getFileName().toString().equals("pom.xml")) {
                    poms.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return poms;
    }

    private static Element parse(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }

    /** A child element's text of {@code <project>}, else (when {@code inherited}) of its {@code <parent>}. */
    private static String text(Element project, String name, boolean inherited) {
        for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().trim();
            }
        }
        if (inherited) {
            for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && element.getTagName().equals("parent")) {
                    return text(element, name, false);
                }
            }
        }
        throw new IllegalStateException("a POM without " + name);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
