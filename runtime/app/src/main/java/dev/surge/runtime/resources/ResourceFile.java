package dev.surge.runtime.resources;

import dev.surge.core.resource.InvalidResourcesException;
import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A resource file such as {@code surge.yaml}, read again whenever its content changes. Comparing content
 * rather than watching file-system events makes every way of saving a file work the same (editors that
 * write in place, write a copy and rename it, or touch without changing anything).
 *
 * <p>An edit that makes the file invalid is refused as a whole: its problems are logged once, exactly as
 * {@code surge validate} prints them, and {@link #current()} stays the last valid set.
 */
public final class ResourceFile implements ResourceSource {
    private static final Logger LOG = Logger.getLogger(ResourceFile.class);

    private final Path file;
    private String lastText;
    private ResourceSet current;

    private ResourceFile(Path file, String text, ResourceSet current) {
        this.file = file;
        this.lastText = text;
        this.current = current;
    }

    /** Reads the file; it must be valid now, as when {@code surge up} starts. */
    public static ResourceFile open(Path file) throws InvalidResourcesException {
        ResourceSet set = ResourceLoader.load(file);
        return new ResourceFile(file, read(file).orElse(null), set);
    }

    @Override
    public synchronized ResourceSet current() {
        return current;
    }

    @Override
    public synchronized Optional<ResourceSet> poll() {
        Optional<String> text = read(file);
        if (text.isEmpty() || text.get().equals(lastText)) {
            return Optional.empty(); // unchanged, or gone for a moment while an editor replaces it
        }
        lastText = text.get();
        try {
            ResourceSet next = ResourceLoader.parse(text.get(), file.toString(), file.toAbsolutePath().getParent());
            if (next.equals(current)) {
                return Optional.empty(); // a comment or the layout changed, not a resource
            }
            current = next;
            return Optional.of(next);
        } catch (InvalidResourcesException e) {
            StringBuilder s = new StringBuilder(file + " changed but cannot be used; what runs stays as it was:");
            e.problems().forEach(p -> s.append("\n  ").append(p));
            LOG.error(s);
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return file.toAbsolutePath().toString();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
