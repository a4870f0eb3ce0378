package dev.surge.runtime.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a process is the one listening on a TCP port, from Linux's {@code /proc}: the listening sockets of
 * the port ({@code /proc/net/tcp}, {@code /proc/net/tcp6}) against the process's open file descriptors. A
 * replica's readiness probe must not be answered by whoever took its port (any HTTP server answers, if only
 * with 404). Unknown (empty) where there is no {@code /proc}.
 */
final class PortOwnership {
    private static final Path PROC = Path.of("/proc");
    private static final String LISTEN = "0A";

    private PortOwnership() {
    }

    static Optional<Boolean> listens(long pid, int port) {
        Path tcp = PROC.resolve("net/tcp");
        if (!Files.isReadable(tcp)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(PROC.resolve(String.valueOf(pid)))) {
            return Optional.of(false); // gone: it listens nowhere
        }
        try {
            Set<String> inodes = new HashSet<>(listeningInodes(Files.readAllLines(tcp), port));
            Path tcp6 = PROC.resolve("net/tcp6");
            if (Files.isReadable(tcp6)) {
                inodes.addAll(listeningInodes(Files.readAllLines(tcp6), port));
            }
            if (inodes.isEmpty()) {
                return Optional.of(false);
            }
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
                for (Path fd : fds) {
                    String target = readLink(fd);
                    if (target != null && target.startsWith("socket:[")
                            && inodes.contains(target.substring(8, target.length() - 1))) {
                        return Optional.of(true);
                    }
                }
            }
            return Optional.of(false);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the process is gone, or /proc is not what we expect
        }
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
            return null;
        }
    }

    /**
     * The inodes of the sockets listening on {@code port}, from the lines of {@code /proc/net/tcp} or
     * {@code tcp6} ({@code sl local_address rem_address st … inode}, addresses as {@code HEXIP:HEXPORT}).
     */
    static Set<String> listeningInodes(List<String> lines, int port) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        Set<String> inodes = new HashSet<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[1].toUpperCase(Locale.ROOT).endsWith(hexPort) && LISTEN.equals(f[3])) {
                inodes.add(f[9]);
            }
        }
        return inodes;
    }
}
