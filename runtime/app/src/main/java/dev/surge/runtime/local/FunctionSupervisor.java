package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Local mode's process supervisor: runs each Function as a child JVM on a free port, tells the dispatcher
 * where a ready replica listens, restarts a replica that died (with a growing pause, reported in the log),
 * and stops them all when Surge stops.
 */
public final class FunctionSupervisor implements FunctionEndpoints, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FunctionSupervisor.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(30);

    private final String java;
    private final Path logDir;
    private final Duration startTimeout;
    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "surge-function-restarts");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closing;

    /** A function's replica and its restart history. */
    private static final class Replica {
        final FunctionProcess process;
        volatile boolean stopped;
        int crashes;

        Replica(FunctionProcess process) {
            this.process = process;
        }
    }

    public FunctionSupervisor(String java, Path logDir, Duration startTimeout) {
        this.java = java;
        this.logDir = logDir;
        this.startTimeout = startTimeout;
    }

    /** Starts every function at once and waits until each is ready or failed to start. */
    public void startAll(Collection<Function> functions) throws InterruptedException {
        for (Function f : functions) {
            FunctionProcess p = new FunctionProcess(f, java, freePort(),
                    logDir.resolve(f.namespace() + "." + f.name() + ".log"));
            replicas.put(key(f.namespace(), f.name()), new Replica(p));
            launch(p);
        }
        for (Replica r : replicas.values()) {
            awaitReady(r);
        }
    }

    private void launch(FunctionProcess p) {
        try {
            p.start();
        } catch (IOException e) {
            LOG.errorf("function %s: cannot start %s: %s", p.function().name(), p.command(), e.getMessage());
            return;
        }
        Process started = p.process();
        started.onExit().thenAccept(exited -> onExit(p, exited));
    }

    private boolean awaitReady(Replica r) throws InterruptedException {
        FunctionProcess p = r.process;
        if (p.awaitReady(startTimeout)) {
            LOG.infof("function %s/%s ready on port %d", p.function().namespace(), p.function().name(), p.port());
            return true;
        }
        if (p.isAlive()) {
            LOG.errorf("function %s/%s not ready after %s; see %s", p.function().namespace(), p.function().name(),
                    startTimeout, p.logFile());
        }
        return false;
    }

    private void onExit(FunctionProcess p, Process exited) {
        Replica r = replicas.get(key(p.function().namespace(), p.function().name()));
        if (closing || r == null || r.stopped || r.process != p || p.process() != exited) {
            return;
        }
        r.crashes++;
        long delayMs = Math.min(500L << Math.min(r.crashes - 1, 10), MAX_RESTART_DELAY.toMillis());
        LOG.errorf("function %s/%s exited with code %d; restarting in %d ms (crash %d); its output is in %s",
                p.function().namespace(), p.function().name(), exited.exitValue(), delayMs, r.crashes, p.logFile());
        restarts.schedule(() -> {
            if (closing || r.stopped) {
                return;
            }
            launch(p);
            try {
                if (awaitReady(r)) {
                    r.crashes = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<URI> endpoint(String namespace, String function) {
        Replica r = replicas.get(key(namespace, function));
        return r != null && r.process.isReady() ? Optional.of(r.process.endpoint()) : Optional.empty();
    }

    /** Stops a function's replica gracefully; it stays down until {@link #start}. */
    public void stop(String namespace, String function) {
        Replica r = replicas.get(key(namespace, function));
        if (r != null) {
            r.stopped = true;
            r.process.stop(STOP_GRACE);
        }
    }

    /** Starts a stopped function again and waits until it is ready. */
    public boolean start(String namespace, String function) throws InterruptedException {
        Replica r = replicas.get(key(namespace, function));
        if (r == null) {
            return false;
        }
        r.stopped = false;
        if (!r.process.isAlive()) {
            launch(r.process);
        }
        return awaitReady(r);
    }

    /** What runs, for the start-up summary: name → process. */
    public List<FunctionStatus> status() {
        return replicas.values().stream()
                .map(r -> new FunctionStatus(r.process.function(), r.process.port(), r.process.isReady(),
                        r.process.logFile()))
                .toList();
    }

    public record FunctionStatus(Function function, int port, boolean ready, Path logFile) {
    }

    @Override
    public void close() {
        closing = true;
        restarts.shutdownNow();
        replicas.values().parallelStream().forEach(r -> r.process.stop(STOP_GRACE));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
