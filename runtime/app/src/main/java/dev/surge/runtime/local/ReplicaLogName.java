package dev.surge.runtime.local;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a function replica's log file in {@code <data-dir>/functions/}: {@code <namespace>.<function>.log}
 * for replica 0, {@code <namespace>.<function>.<replica>.log} for the others. Namespaces and function names are DNS
 * labels, which have no dot, so every name reads back to exactly one replica ({@code surge logs} does).
 */
public record ReplicaLogName(String namespace, String function, int replica) {
    private static final Pattern NAME = Pattern.compile("([^.]+)\\.([^.]+)(?:\\.(\\d+))?\\.log");

    public String fileName() {
        return namespace + "." + function + (replica == 0 ? "" : "." + replica) + ".log";
    }

    /** The replica a file name is the log of, or empty when it is no replica's log. */
    public static Optional<ReplicaLogName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        int replica;
        try {
            replica = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (m.group(3) != null && replica == 0) {
            return Optional.empty(); // replica 0 has no number
        }
        return Optional.of(new ReplicaLogName(m.group(1), m.group(2), replica));
    }
}
