package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.jboss.logging.Logger;

/**
 * Local mode's process supervisor: runs each Function's replicas as child JVMs on free ports, hands the
 * dispatcher delivery slots on ready replicas (never more than the function's {@code concurrency} per
 * replica), starts and stops replicas as the scaler asks, restarts a replica that died (with a growing
 * pause, reported in the log and the status), and stops them all when Surge stops.
 *
 * <p>Scale-down is graceful: the replica leaves the rotation first, its deliveries in flight finish, then
 * it gets SIGTERM (Quarkus shuts down cleanly) and SIGKILL only after {@value #STOP_GRACE_SECONDS} s.
 */
public final class FunctionSupervisor implements FunctionEndpoints, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FunctionSupervisor.class);
    static final int STOP_GRACE_SECONDS = 10;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
    private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(30);

    private final String java;
    private final Path logDir;
    private final Duration startTimeout;
    private final Map<String, Replicas> functions = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "surge-function-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "surge-function-restarts");
        t.setDaemon(true);
        return t;
    });
    private volatile BiConsumer<String, String> activationListener = (ns, fn) -> { };
    private volatile boolean closing;

    /** One running (or starting, or draining) process of a function. */
    private final class Replica {
        final FunctionProcess process;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean draining;
        volatile int crashes;

        Replica(FunctionProcess process) {
            this.process = process;
        }

        boolean serving() {
            return !draining && process.isReady();
        }
    }

    /** The replicas of one function and what happened to them. */
    private final class Replicas {
        final Function function;
        final List<Replica> replicas = new CopyOnWriteArrayList<>();
        volatile boolean held;
        volatile int restartsTotal;
        volatile Integer lastExitCode;
        volatile Instant lastExit;

        Replicas(Function function) {
            this.function = function;
        }

        List<Replica> active() {
            return replicas.stream().filter(r -> !r.draining).toList();
        }
    }

    public FunctionSupervisor(String java, Path logDir, Duration startTimeout) {
        this.java = java;
        this.logDir = logDir;
        this.startTimeout = startTimeout;
        this.parentWatch = writeParentWatchAgent(agentPath(logDir.getParent()));
    }

    /** Where the parent-watch agent lives under a data folder; its path is part of an AOT cache's class path. */
    static Path agentPath(Path dataDir) {
        return dataDir.resolve("agent").resolve("parent-watch.jar");
    }

    static String agentOption(Path agent) {
        return "-javaagent:" + agent + "=" + ProcessHandle.current().pid();
    }

    private final Path parentWatch;

    /**
     * Packs {@link ParentWatch} into an agent jar, so function processes die with this one. The jar is
     * rewritten only when its content changes: an AOT cache trained with it stays valid.
     */
    static Path writeParentWatchAgent(Path jar) {
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

    /** Registers the functions; none runs until {@link #scaleTo} asks. */
    public void register(Collection<Function> all) {
        for (Function f : all) {
            functions.putIfAbsent(key(f.namespace(), f.name()), new Replicas(f));
        }
    }

    /** Who to tell when a dispatcher needs a function that has no ready replica. */
    public void onActivation(BiConsumer<String, String> listener) {
        this.activationListener = listener;
    }

    /**
     * Runs {@code n} replicas: starts new ones at once (ready in the background), or drains and stops the
     * surplus, not-ready ones first. Ignored while the function is held down by {@link #stop}.
     */
    public synchronized void scaleTo(String namespace, String function, int n) {
        Replicas set = functions.get(key(namespace, function));
        if (set == null || closing || set.held) {
            return;
        }
        List<Replica> active = set.active();
        for (int i = active.size(); i < n; i++) {
            Replica r = addReplica(set);
            work.execute(() -> {
                try {
                    awaitReady(r);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        if (active.size() > n) {
            active.stream()
                    .sorted(Comparator.comparing((Replica r) -> r.process.isReady()).thenComparing(r -> r.inFlight.get()))
                    .limit(active.size() - n)
                    .forEach(r -> retire(set, r));
        }
    }

    private Replica addReplica(Replicas set) {
        Function f = set.function;
        int index = set.replicas.size();
        FunctionProcess p = new FunctionProcess(f, java, freePort(),
                logDir.resolve(f.namespace() + "." + f.name() + (index == 0 ? "" : "-" + index) + ".log"),
                List.of(agentOption(parentWatch)));
        Replica r = new Replica(p);
        set.replicas.add(r);
        launch(set, r);
        return r;
    }

    private void launch(Replicas set, Replica r) {
        FunctionProcess p = r.process;
        try {
            p.start();
        } catch (IOException e) {
            LOG.errorf("function %s: cannot start %s: %s", p.function().name(), p.command(), e.getMessage());
            return;
        }
        Process started = p.process();
        started.onExit().thenAccept(exited -> onExit(set, r, exited));
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

    /** Leaves the rotation, lets deliveries in flight finish, then stops. */
    private void retire(Replicas set, Replica r) {
        r.draining = true;
        work.execute(() -> {
            long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            try {
                while (r.inFlight.get() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // waiting for deliveries of a process we are about to stop
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.process.stop(Duration.ofSeconds(STOP_GRACE_SECONDS));
            set.replicas.remove(r);
            LOG.infof("function %s/%s: stopped the replica on port %d", set.function.namespace(), set.function.name(),
                    r.process.port());
        });
    }

    private void onExit(Replicas set, Replica r, Process exited) {
        if (closing || r.draining || !set.replicas.contains(r) || r.process.process() != exited) {
            return;
        }
        r.crashes++;
        set.restartsTotal++;
        set.lastExitCode = exited.exitValue();
        set.lastExit = Instant.now();
        long delayMs = Math.min(500L << Math.min(r.crashes - 1, 10), MAX_RESTART_DELAY.toMillis());
        LOG.errorf("function %s/%s exited with code %d; restarting in %d ms (crash %d in a row); its output is in %s",
                set.function.namespace(), set.function.name(), exited.exitValue(), delayMs, r.crashes, r.process.logFile());
        restarts.schedule(() -> {
            if (closing || r.draining || !set.replicas.contains(r)) {
                return;
            }
            launch(set, r);
            work.execute(() -> {
                try {
                    if (awaitReady(r)) {
                        r.crashes = 0;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Lease> acquire(String namespace, String function) {
        Replicas set = functions.get(key(namespace, function));
        if (set == null) {
            return Optional.empty();
        }
        int limit = set.function.concurrency();
        while (true) {
            Replica best = null;
            for (Replica r : set.replicas) {
                if (r.serving() && r.inFlight.get() < limit && (best == null || r.inFlight.get() < best.inFlight.get())) {
                    best = r;
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            int n = best.inFlight.get();
            if (n < limit && best.inFlight.compareAndSet(n, n + 1)) {
                Replica leased = best;
                return Optional.of(new Lease() {
                    @Override
                    public URI uri() {
                        return leased.process.endpoint();
                    }

                    @Override
                    public void release() {
                        leased.inFlight.decrementAndGet();
                    }
                });
            }
        }
    }

    @Override
    public boolean hasReady(String namespace, String function) {
        Replicas set = functions.get(key(namespace, function));
        return set != null && set.replicas.stream().anyMatch(Replica::serving);
    }

    @Override
    public void activate(String namespace, String function) {
        activationListener.accept(namespace, function);
    }

    /** Holds a function down: stops its replicas gracefully; the scaler cannot start it until {@link #start}. */
    public void stop(String namespace, String function) {
        Replicas set = functions.get(key(namespace, function));
        if (set != null) {
            set.held = true;
            for (Replica r : set.replicas) {
                r.draining = true;
                r.process.stop(Duration.ofSeconds(STOP_GRACE_SECONDS));
                set.replicas.remove(r);
            }
        }
    }

    /** Releases a held function and starts one replica; returns once it is ready (or failed to be). */
    public boolean start(String namespace, String function) throws InterruptedException {
        Replicas set = functions.get(key(namespace, function));
        if (set == null) {
            return false;
        }
        set.held = false;
        Replica r;
        synchronized (this) {
            List<Replica> active = set.active();
            r = active.isEmpty() ? addReplica(set) : active.get(0);
        }
        return awaitReady(r);
    }

    /** The state of every function, for status endpoints, metrics and the start-up summary. */
    public List<FunctionStatus> status() {
        return functions.values().stream().map(this::status).toList();
    }

    public Optional<FunctionStatus> status(String namespace, String function) {
        return Optional.ofNullable(functions.get(key(namespace, function))).map(this::status);
    }

    private FunctionStatus status(Replicas set) {
        List<Replica> active = set.active();
        return new FunctionStatus(set.function, active.size(), (int) active.stream().filter(Replica::serving).count(),
                active.stream().mapToInt(r -> r.inFlight.get()).sum(),
                active.stream().map(r -> r.process.port()).toList(),
                active.stream().map(r -> r.process.process()).filter(p -> p != null).map(Process::pid).toList(),
                set.restartsTotal, set.lastExitCode, set.lastExit, set.held,
                logDir.resolve(set.function.namespace() + "." + set.function.name() + ".log"));
    }

    /**
     * @param replicas      replicas running or starting (draining ones not counted)
     * @param readyReplicas replicas taking deliveries
     * @param restarts      times a replica died and was restarted
     */
    public record FunctionStatus(Function function, int replicas, int readyReplicas, int inFlight, List<Integer> ports,
            List<Long> pids, int restarts, Integer lastExitCode, Instant lastExit, boolean held, Path logFile) {
    }

    @Override
    public void close() {
        closing = true;
        restarts.shutdownNow();
        functions.values().parallelStream().flatMap(s -> s.replicas.stream())
                .forEach(r -> r.process.stop(Duration.ofSeconds(STOP_GRACE_SECONDS)));
        work.shutdownNow();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
