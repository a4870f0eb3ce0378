package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One launch of one replica of a function: an operating-system process serving HTTP on its own port. A
 * restarted replica gets a new {@code FunctionProcess} (and a new port). Implementations are thread-safe.
 */
interface FunctionProcess {

    /** Makes the process of a replica, not started yet; local mode's is a child JVM, tests pass fakes. */
    @FunctionalInterface
    interface Factory {
        FunctionProcess create(Function function, int port, Path logFile);
    }

    /** Launches the process; at most once. */
    void start() throws IOException;

    /** Completes with the exit code once the started process has ended, asked to or not. */
    CompletableFuture<Integer> exited();

    boolean isAlive();

    /**
     * One readiness probe: whether {@code /q/health/ready} on the port answers 200 (or 404, for apps without
     * the health extension, which count as ready once they serve HTTP). Blocks for at most a few seconds;
     * false when nothing answers.
     */
    boolean probeReady();

    /**
     * After the process exited: whether its output says it could not bind its port, because another process
     * took the port between choosing it and binding it.
     */
    boolean portTaken();

    /** Asks the process to stop (SIGTERM: Quarkus shuts down gracefully), then kills it after {@code grace}. */
    void stop(Duration grace);

    int port();

    URI endpoint();

    /** Where its output goes (appended: restarts of a replica share the file). */
    Path logFile();

    /** The operating-system process id, or null before it started. */
    Long pid();
}
