package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake function processes for supervisor tests: no JVM, no socket. Each records what was done to it; tests
 * make one crash, stop answering, or find its port taken.
 */
final class TestingProcesses implements FunctionProcess.Factory {
    /** A function of namespace {@code ns} with the given environment, for tests. */
    static dev.surge.core.resource.Function function(String name, java.util.Map<String, String> env) {
        return new dev.surge.core.resource.Function(new dev.surge.core.resource.Metadata(name, "ns"), null,
                "/apps/" + name, dev.surge.core.resource.Function.DEFAULT_PORT, env, 10,
                dev.surge.core.scaling.ScalingPolicy.DEFAULT);
    }

    private final List<Fake> created = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextPort = new AtomicInteger(20_000);
    /** Ports another process has taken: a fake started on one exits at once, as a JVM that cannot bind. */
    final Set<Integer> takenPorts = ConcurrentHashMap.newKeySet();
    /** When set, every new process exits with code 1 right after starting. */
    volatile boolean crashOnStart;
    /** When set, starting a process fails (no such program, no memory) and nothing runs. */
    volatile boolean launchFails;
    /** Whether new processes answer their readiness probe (false: a JVM still starting). */
    volatile boolean answerOnStart = true;

    @Override
    public FunctionProcess create(Function function, int port, Path logFile) {
        Fake f = new Fake(function, port, logFile);
        created.add(f);
        return f;
    }

    int port() {
        return nextPort.getAndIncrement();
    }

    List<Fake> created() {
        return List.copyOf(created);
    }

    Fake last() {
        return created.get(created.size() - 1);
    }

    Optional<Fake> at(URI uri) {
        return created.stream().filter(f -> f.endpoint().equals(uri)).findFirst();
    }

    final class Fake implements FunctionProcess {
        final Function function;
        private final int port;
        private final Path logFile;
        private final CompletableFuture<Integer> exited = new CompletableFuture<>();
        volatile boolean started;
        volatile boolean alive;
        volatile boolean answering = true;
        volatile boolean stopRequested;
        volatile boolean bindFailed;
        /** Deliveries that reached this process after it was asked to stop: a lease must never allow one. */
        final AtomicInteger deliveriesAfterStop = new AtomicInteger();
        final AtomicInteger deliveries = new AtomicInteger();

        Fake(Function function, int port, Path logFile) {
            this.function = function;
            this.port = port;
            this.logFile = logFile;
            this.answering = answerOnStart;
        }

        @Override
        public void start() throws IOException {
            if (started) {
                throw new IllegalStateException("started twice");
            }
            if (launchFails) {
                throw new IOException("Cannot run program \"java\": error=2, No such file or directory");
            }
            started = true;
            if (takenPorts.contains(port)) {
                bindFailed = true;
                exited.complete(1);
            } else if (crashOnStart) {
                exited.complete(1);
            } else {
                alive = true;
            }
        }

        /** The process dies unasked. */
        void crash(int code) {
            alive = false;
            exited.complete(code);
        }

        /** What the dispatcher does with a lease: a request to this process. */
        void deliver() {
            deliveries.incrementAndGet();
            if (stopRequested) {
                deliveriesAfterStop.incrementAndGet();
            }
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return exited;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public boolean probeReady() {
            return alive && answering;
        }

        @Override
        public boolean portTaken() {
            return bindFailed;
        }

        @Override
        public void stop(Duration grace) {
            stopRequested = true;
            alive = false;
            exited.complete(143);
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public URI endpoint() {
            return URI.create("http://127.0.0.1:" + port + "/");
        }

        @Override
        public Path logFile() {
            return logFile;
        }

        @Override
        public Long pid() {
            return started ? (long) port : null;
        }
    }
}
