package dev.surge.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The jar of the {@link ParentWatch} agent that every function process gets, and its command-line option. */
final class ParentWatchAgent {
    private ParentWatchAgent() {
    }

    /** Where the parent-watch agent lives under a data folder; its path is part of an AOT cache's class path. */
    static Path path(Path dataDir) {
        return dataDir.resolve("agent").resolve("parent-watch.jar");
    }

    static String option(Path agent) {
        return "-javaagent:" + agent + "=" + ProcessHandle.current().pid();
    }

    /**
     * Packs {@link ParentWatch} into an agent jar, so function processes die with this one. The jar is
     * rewritten only when its content changes: an AOT cache trained with it stays valid.
     */
    static Path write(Path jar) {
        String entry = ParentWatch.class.getName().replace('.', '/') + ".class";
        try (var in = ParentWatch.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IllegalStateException("class file " + entry + " not found");
            }
            byte[] bytes = in.readAllBytes();
            if (Files.isRegularFile(jar)) {
                try (var existing = new JarFile(jar.toFile())) {
                    var e = existing.getJarEntry(entry);
                    if (e != null && Arrays.equals(existing.getInputStream(e).readAllBytes(), bytes)) {
                        return jar; // unchanged: keep its date, which an AOT cache trained with it checks
                    }
                } catch (IOException unreadable) {
                    // written anew below
                }
            }
            Files.createDirectories(jar.getParent());
            var manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatch.class.getName());
            try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                out.putNextEntry(new JarEntry(entry));
                out.write(bytes);
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + jar, e);
        }
    }
}
