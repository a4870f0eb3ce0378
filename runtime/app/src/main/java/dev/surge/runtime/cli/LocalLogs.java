package dev.surge.runtime.cli;

import dev.surge.runtime.local.ReplicaLogName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The output of one function's replicas in local mode: the files {@code <data-dir>/functions/<namespace>.<function>
 * [.<replica>].log} that the supervisor appends each replica's output to (see {@link ReplicaLogName}). Each line is
 * printed with its replica in front, {@code [greeter#1] …}. {@link #poll} prints what was appended since the last
 * call, including replicas that started since; following is calling it again and again (tail -f, by polling).
 */
final class LocalLogs {
    private final Path dir;
    private final String namespace;
    private final String function;
    private final Map<Path, Cursor> cursors = new LinkedHashMap<>();

    /** Where a file was read up to, and the start of a line not finished yet. */
    private static final class Cursor {
        final String prefix;
        long position;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Cursor(String prefix) {
            this.prefix = prefix;
        }
    }

    LocalLogs(Path functionsDir, String namespace, String function) {
        this.dir = functionsDir;
        this.namespace = namespace;
        this.function = function;
    }

    /** The namespaces that have logs of a function of this name (sorted). */
    static List<String> namespacesOf(Path functionsDir, String function) {
        TreeSet<String> namespaces = new TreeSet<>();
        logs(functionsDir).stream().filter(l -> l.function().equals(function)).forEach(l -> namespaces.add(l.namespace()));
        return List.copyOf(namespaces);
    }

    /** This function's replica logs now, by replica. */
    List<ReplicaLogName> replicas() {
        return logs(dir).stream().filter(l -> l.namespace().equals(namespace) && l.function().equals(function))
                .sorted(Comparator.comparingInt(ReplicaLogName::replica)).toList();
    }

    /**
     * Starts every replica's log at its last {@code lines} lines (all of it for null) instead of the beginning; a
     * replica that appears later is read from its beginning.
     */
    void startAtLast(Integer lines) {
        for (ReplicaLogName r : replicas()) {
            Path file = dir.resolve(r.fileName());
            Cursor c = cursor(r);
            c.position = lines == null ? 0 : startOfLastLines(file, lines);
        }
    }

    /**
     * Prints the complete lines appended since the last call, replica by replica, and starts reading replicas that
     * appeared; a file that got shorter (deleted and started anew) is read again from its beginning.
     *
     * @return how many lines were printed
     */
    int poll(Consumer<String> out) {
        int printed = 0;
        for (ReplicaLogName r : replicas()) {
            printed += read(dir.resolve(r.fileName()), cursor(r), out);
        }
        return printed;
    }

    /** Prints what is left of unfinished lines (the last line of a file without a newline). */
    void flush(Consumer<String> out) {
        cursors.values().forEach(c -> {
            if (c.partial.size() > 0) {
                out.accept(c.prefix + line(c.partial));
            }
        });
    }

    private Cursor cursor(ReplicaLogName r) {
        return cursors.computeIfAbsent(dir.resolve(r.fileName()), f -> new Cursor("[" + function + "#" + r.replica()
                + "] "));
    }

    private static int read(Path file, Cursor c, Consumer<String> out) {
        int printed = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < c.position) {
                c.position = 0;
                c.partial.reset();
            }
            ch.position(c.position);
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buffer) > 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        out.accept(c.prefix + line(c.partial));
                        printed++;
                    } else {
                        c.partial.write(b);
                    }
                }
                buffer.clear();
            }
            c.position = ch.position();
        } catch (NoSuchFileException e) {
            c.position = 0; // removed since listed: read again if it comes back
            c.partial.reset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return printed;
    }

    private static String line(ByteArrayOutputStream partial) {
        String s = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The offset where the last {@code lines} lines of the file start (a last line without newline counts). */
    static long startOfLastLines(Path file, int lines) {
        if (lines <= 0) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return 0;
            }
        }
        Deque<Long> starts = new ArrayDeque<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long offset = 0;
            boolean atLineStart = true;
            while (ch.read(buffer) > 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (atLineStart) {
                        starts.addLast(offset);
                        if (starts.size() > lines) {
                            starts.removeFirst();
                        }
                    }
                    atLineStart = b == '\n';
                    offset++;
                }
                buffer.clear();
            }
            return starts.isEmpty() ? offset : starts.getFirst();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<ReplicaLogName> logs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> ReplicaLogName.parse(f.getFileName().toString())).flatMap(java.util.Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
