package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import dev.surge.core.resource.ResourceChanges;
import dev.surge.core.scaling.RestartPolicy;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Local mode's process supervisor, the coordinator of each function's replicas: it starts and retires
 * {@link Replica}s as the scaler asks ({@link #scaleTo}) and as the resources change ({@link #apply}), hands
 * the dispatcher delivery slots ({@link Leases}), holds a function down on request or after a crash loop,
 * and stops every process when Surge stops. Each replica's own lifecycle — launch, readiness probing,
 * restarts by the {@link RestartPolicy} on a new port — lives in {@link Replica}.
 *
 * <p>Scale-down is graceful: the replica leaves the rotation first, its deliveries in flight finish, then
 * it gets SIGTERM (Quarkus shuts down cleanly) and SIGKILL only after {@value #STOP_GRACE_SECONDS} s.
 */
public final class FunctionSupervisor implements FunctionEndpoints, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FunctionSupervisor.class);
    static final int STOP_GRACE_SECONDS = 10;
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(STOP_GRACE_SECONDS + 10);

    private final FunctionProcess.Factory processes;
    private final IntSupplier ports;
    private final Path logDir;
    private final RestartPolicy restartPolicy;
    private final Replica.Timing timing;
    private final Clock clock;
    private final Map<String, Replicas> functions = new ConcurrentHashMap<>();
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "surge-function-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "surge-function-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile BiConsumer<String, String> activationListener = (ns, fn) -> { };
    private volatile boolean closing;

    /** The replicas of one function and what happened to them. */
    private static final class Replicas {
        volatile Function function;
        final List<Replica> replicas = new CopyOnWriteArrayList<>();
        volatile boolean held;
        volatile String failure;
        final AtomicInteger restarts = new AtomicInteger();
        volatile Integer lastExitCode;
        volatile Instant lastExit;

        Replicas(Function function) {
            this.function = function;
        }

        List<Replica> active() {
            return replicas.stream().filter(r -> !r.retired()).toList();
        }
    }

    /** Function processes as child JVMs of {@code java}, each with the parent-watch agent, on free ports. */
    public FunctionSupervisor(String java, Path logDir, Duration startTimeout) {
        this(jvmProcesses(java, ParentWatchAgent.write(ParentWatchAgent.path(logDir.getParent()))),
                FunctionSupervisor::freePort,
                logDir, RestartPolicy.DEFAULT, Replica.Timing.defaults(startTimeout), Clock.systemUTC());
    }

    /**
     * @param processes makes the process of each launch (tests pass fakes)
     * @param ports     a free port for each launch, asked anew for every restart
     */
    FunctionSupervisor(FunctionProcess.Factory processes, IntSupplier ports, Path logDir, RestartPolicy restartPolicy,
            Replica.Timing timing, Clock clock) {
        this.processes = processes;
        this.ports = ports;
        this.logDir = logDir;
        this.restartPolicy = restartPolicy;
        this.timing = timing;
        this.clock = clock;
    }

    private static FunctionProcess.Factory jvmProcesses(String java, Path agent) {
        List<String> options = List.of(ParentWatchAgent.option(agent));
        return (function, port, logFile) -> new JvmFunctionProcess(function, java, port, logFile, options);
    }

    /**
     * Makes the running functions the given ones: new functions are registered (none runs until
     * {@link #scaleTo} asks); removed ones have their replicas retired gracefully and are forgotten; a function
     * whose spec changed (any field, compared by value) has every replica retired gracefully and as many
     * new ones started at once with the new spec, so two versions never serve side by side and the scaler
     * finds the replica count it asked for. Deliveries meanwhile wait for a ready replica, as at scale-from-zero.
     * A function held by {@link #stop} stays held; one held after a crash loop gets a new chance.
     *
     * @return what changed, for the scaler and the log
     */
    public synchronized ResourceChanges.Changes<Function> apply(Collection<Function> wanted) {
        ResourceChanges.Changes<Function> changes = ResourceChanges.Changes.between(
                functions.values().stream().map(s -> s.function).toList(), List.copyOf(wanted));
        for (Function f : changes.added()) {
            functions.put(key(f.namespace(), f.name()), new Replicas(f));
        }
        for (Function f : changes.removed()) {
            Replicas set = functions.remove(key(f.namespace(), f.name()));
            set.held = true;
            set.replicas.forEach(r -> r.retire(true));
            LOG.infof("function %s/%s removed; stopping its replicas", f.namespace(), f.name());
        }
        for (Function f : changes.changed().stream().map(ResourceChanges.Change::after).toList()) {
            Replicas set = functions.get(key(f.namespace(), f.name()));
            List<Replica> old = set.active();
            set.function = f;
            if (set.failure != null) {
                set.held = false;
                set.failure = null;
            }
            old.forEach(r -> r.retire(true));
            if (!set.held && !closing) {
                for (int i = 0; i < old.size(); i++) {
                    addReplica(set);
                }
            }
            LOG.infof("function %s/%s changed; restarting its %d replicas with the new spec", f.namespace(), f.name(),
                    old.size());
        }
        return changes;
    }

    /** Who to tell when a dispatcher needs a function that has no ready replica. */
    public void onActivation(BiConsumer<String, String> listener) {
        this.activationListener = listener;
    }

    /**
     * Runs {@code n} replicas: starts new ones at once (ready in the background), or retires the surplus,
     * not-ready ones first, then the least busy. Ignored while the function is held down.
     */
    public synchronized void scaleTo(String namespace, String function, int n) {
        Replicas set = functions.get(key(namespace, function));
        if (set == null || closing || set.held) {
            return;
        }
        List<Replica> active = set.active();
        for (int i = active.size(); i < n; i++) {
            addReplica(set);
        }
        if (active.size() > n) {
            active.stream()
                    .sorted(Comparator.comparing(Replica::serving).thenComparingInt(Replica::inFlight))
                    .limit(active.size() - n)
                    .forEach(r -> r.retire(true));
        }
    }

    private Replica addReplica(Replicas set) {
        Function f = set.function;
        int index = 0;
        while (indexTaken(set, index)) {
            index++;
        }
        Path log = logDir.resolve(new ReplicaLogName(f.namespace(), f.name(), index).fileName());
        Replica r = new Replica(f, index, () -> processes.create(f, ports.getAsInt(), log), timer, blocking,
                restartPolicy, clock, timing, new Replica.Events() {
                    @Override
                    public void crashed(Replica replica, Integer exitCode, RestartPolicy.Decision decision) {
                        onCrash(set, replica, exitCode, decision);
                    }

                    @Override
                    public void stopped(Replica replica) {
                        set.replicas.remove(replica);
                    }
                });
        set.replicas.add(r);
        r.start();
        return r;
    }

    private static boolean indexTaken(Replicas set, int index) {
        return set.replicas.stream().anyMatch(r -> r.index() == index);
    }

    private void onCrash(Replicas set, Replica replica, Integer exitCode, RestartPolicy.Decision decision) {
        if (!decision.giveUp()) {
            set.restarts.incrementAndGet();
        }
        if (exitCode != null) {
            set.lastExitCode = exitCode;
            set.lastExit = clock.instant();
        }
        if (decision.giveUp()) {
            synchronized (this) {
                Function f = set.function;
                set.held = true;
                set.failure = "gave up restarting: " + decision.reason();
                LOG.errorf("function %s/%s: %s; it stays stopped until its spec changes or it is started again; "
                        + "see %s", f.namespace(), f.name(), set.failure, logFile(f));
                set.replicas.forEach(r -> r.retire(false));
            }
        }
    }

    @Override
    public Optional<Lease> acquire(String namespace, String function) {
        Replicas set = functions.get(key(namespace, function));
        return set == null ? Optional.empty() : Leases.acquire(set.replicas, set.function.concurrency());
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

    /**
     * Holds a function down: leaves the rotation at once, stops its replicas (letting deliveries in flight
     * finish) and returns once they are stopped; the scaler cannot start it until {@link #start}.
     */
    public void stop(String namespace, String function) {
        Replicas set = functions.get(key(namespace, function));
        if (set == null) {
            return;
        }
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        synchronized (this) {
            set.held = true;
            set.replicas.forEach(r -> stopping.add(r.retire(true)));
        }
        await(CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)), timing.drainLimit().plus(CLOSE_LIMIT));
    }

    /** Releases a held function and starts one replica; returns once it is ready (or failed to be). */
    public boolean start(String namespace, String function) throws InterruptedException {
        Replicas set = functions.get(key(namespace, function));
        if (set == null) {
            return false;
        }
        Replica r;
        synchronized (this) {
            set.held = false;
            set.failure = null;
            List<Replica> active = set.active();
            r = active.isEmpty() ? addReplica(set) : active.get(0);
        }
        try {
            return r.firstReady().get(timing.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
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
                active.stream().mapToInt(Replica::inFlight).sum(),
                active.stream().map(Replica::port).filter(p -> p > 0).toList(),
                active.stream().map(Replica::pid).filter(p -> p != null).toList(),
                set.restarts.get(), set.lastExitCode, set.lastExit, set.held, set.failure, logFile(set.function));
    }

    private Path logFile(Function f) {
        return logDir.resolve(new ReplicaLogName(f.namespace(), f.name(), 0).fileName());
    }

    /**
     * @param replicas      replicas running, starting or restarting (retiring ones not counted)
     * @param readyReplicas replicas taking deliveries
     * @param restarts      times a replica died (or stopped answering) and was restarted
     * @param held          stopped by {@link #stop} or after a crash loop; the scaler does not start it
     * @param failure       why it is held after a crash loop, or null
     */
    public record FunctionStatus(Function function, int replicas, int readyReplicas, int inFlight, List<Integer> ports,
            List<Long> pids, int restarts, Integer lastExitCode, Instant lastExit, boolean held, String failure,
            Path logFile) {
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        synchronized (this) {
            closing = true;
            functions.values().forEach(s -> s.replicas.forEach(r -> stopping.add(r.retire(false))));
        }
        await(CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)), CLOSE_LIMIT);
        timer.shutdownNow();
        blocking.shutdownNow();
    }

    private static void await(CompletableFuture<?> done, Duration limit) {
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("function processes not all stopped within %s", limit);
        }
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
