package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import dev.surge.core.scaling.RestartPolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The lifecycle of one replica of a function: it launches a process, probes its readiness for as long as it
 * runs, restarts it (always as a new process on a new port) when it dies or stops answering, and retires it
 * gracefully.
 *
 * <p>States: {@code STARTING} (launched, not ready yet) → {@code READY} (in the rotation) →
 * {@code RESTARTING} (died, stopped answering, or could not bind its port; waiting for the restart the
 * {@link RestartPolicy} chose) → {@code STARTING} …; and from any state {@code RETIRED}, which is final.
 * Every change of state, and every lease, happens under this object's lock, so a lease is never handed out
 * once retirement has begun, and a scheduled restart re-checks the state under the same lock and never
 * revives a retired replica. Each launch has a generation number: callbacks of an earlier process (its exit,
 * a probe still running) are ignored.
 */
final class Replica {
    private static final Logger LOG = Logger.getLogger(Replica.class);

    private static final int MAX_PORT_CONFLICTS = 3;

    enum State { STARTING, READY, RESTARTING, RETIRED }

    /**
     * What the supervisor hears from a replica. Called on an executor thread, never under the replica's lock.
     */
    interface Events {
        /** The process ended unasked, or was stopped for not answering; {@code exitCode} null for the latter. */
        void crashed(Replica replica, Integer exitCode, RestartPolicy.Decision decision);

        /** Retired and its process stopped: forget it. */
        void stopped(Replica replica);
    }

    /**
     * @param startTimeout     longest wait for a new process to become ready before it counts as hung
     * @param startProbe       probe interval while starting (short: readiness is on the path of scale-from-zero)
     * @param probe            probe interval once ready
     * @param failureThreshold consecutive failed probes after which a ready replica leaves the rotation
     * @param drainLimit       longest wait for deliveries in flight when retiring
     * @param stopGrace        time between SIGTERM and SIGKILL
     */
    record Timing(Duration startTimeout, Duration startProbe, Duration probe, int failureThreshold, Duration drainLimit,
            Duration stopGrace) {
        static Timing defaults(Duration startTimeout) {
            return new Timing(startTimeout, Duration.ofMillis(25), Duration.ofSeconds(1), 3, Duration.ofSeconds(60),
                    Duration.ofSeconds(FunctionSupervisor.STOP_GRACE_SECONDS));
        }
    }

    private final Function function;
    private final int index;
    private final Supplier<FunctionProcess> launcher;
    private final ScheduledExecutorService timer;
    private final Executor blocking;
    private final RestartPolicy policy;
    private final Clock clock;
    private final Timing timing;
    private final Events events;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Boolean> firstReady = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    // guarded by this
    private final List<Instant> crashes = new ArrayList<>();
    private FunctionProcess process;
    private volatile State state = State.STARTING;
    private int generation;
    private long launchedNanos;
    private int failedProbes;
    private int portConflicts;

    /**
     * @param launcher a new, not yet started process on a newly chosen free port, for every launch
     */
    Replica(Function function, int index, Supplier<FunctionProcess> launcher, ScheduledExecutorService timer,
            Executor blocking, RestartPolicy policy, Clock clock, Timing timing, Events events) {
        this.function = function;
        this.index = index;
        this.launcher = launcher;
        this.timer = timer;
        this.blocking = blocking;
        this.policy = policy;
        this.clock = clock;
        this.timing = timing;
        this.events = events;
    }

    /** Launches the first process. */
    void start() {
        int gen;
        synchronized (this) {
            gen = generation;
        }
        launch(gen);
    }

    /** A new process, unless retired or another launch came first (the generation moved on). */
    private void launch(int expectedGeneration) {
        synchronized (this) {
            if (state == State.RETIRED || generation != expectedGeneration) {
                return;
            }
            int gen = ++generation;
            state = State.STARTING;
            failedProbes = 0;
            launchedNanos = System.nanoTime();
            FunctionProcess p;
            try {
                p = launcher.get();
                process = p;
                p.start(); // under the lock: a retirement cannot slip in between choosing and starting
            } catch (Exception e) {
                LOG.errorf("function %s/%s: cannot start a process: %s", function.namespace(), function.name(),
                        e.getMessage());
                crashed(null, "cannot start: " + e.getMessage());
                return;
            }
            p.exited().thenAccept(code -> onExit(gen, p, code));
            schedule(gen, timing.startProbe());
        }
    }

    private void schedule(int gen, Duration delay) {
        timer.schedule(() -> blocking.execute(() -> probe(gen)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe(int gen) {
        FunctionProcess p;
        synchronized (this) {
            if (gen != generation || state == State.RETIRED) {
                return;
            }
            p = process;
        }
        boolean ok;
        try {
            ok = p.isAlive() && p.probeReady() && p.isAlive();
        } catch (RuntimeException e) {
            ok = false; // a probe that fails oddly is a failed probe; the next one is still scheduled
        }
        synchronized (this) {
            if (gen != generation || state == State.RETIRED || !p.isAlive()) {
                return; // superseded, retired, or the exit handler takes it from here
            }
            if (ok) {
                failedProbes = 0;
                if (state == State.STARTING) {
                    state = State.READY;
                    portConflicts = 0;
                    LOG.infof("function %s/%s ready on port %d", function.namespace(), function.name(), p.port());
                    firstReady.complete(true);
                }
                schedule(gen, timing.probe());
            } else if (state == State.STARTING) {
                if (System.nanoTime() - launchedNanos > timing.startTimeout().toNanos()) {
                    unresponsive("not ready after " + timing.startTimeout());
                } else {
                    schedule(gen, timing.startProbe());
                }
            } else if (++failedProbes >= timing.failureThreshold()) {
                unresponsive(failedProbes + " readiness probes failed in a row");
            } else {
                schedule(gen, timing.probe());
            }
        }
    }

    /** Out of the rotation, its process stopped and a new one scheduled. Called under the lock. */
    private void unresponsive(String why) {
        FunctionProcess old = process;
        generation++; // its exit, when we stop it, is not a crash of its own
        LOG.errorf("function %s/%s: the replica on port %d is %s; stopping it; see %s", function.namespace(),
                function.name(), old.port(), why, old.logFile());
        blocking.execute(() -> old.stop(timing.stopGrace()));
        crashed(null, why);
    }

    private void onExit(int gen, FunctionProcess p, int code) {
        synchronized (this) {
            if (gen != generation || state == State.RETIRED) {
                return;
            }
            generation++;
            // Immediately on a new port, a few times in a row; beyond that it is no race but the function's
            // own doing, and counts as a crash.
            if (p.portTaken() && ++portConflicts <= MAX_PORT_CONFLICTS) {
                state = State.RESTARTING;
                LOG.warnf("function %s/%s: port %d was taken by another process; restarting on a new port",
                        function.namespace(), function.name(), p.port());
                int next = generation;
                blocking.execute(() -> launch(next));
                return;
            }
            LOG.errorf("function %s/%s exited with code %d; its output is in %s", function.namespace(),
                    function.name(), code, p.logFile());
            crashed(code, "exited with code " + code);
        }
    }

    /** Records a crash and restarts by the policy, or gives up. Called under the lock. */
    private void crashed(Integer exitCode, String why) {
        state = State.RESTARTING;
        Instant now = clock.instant();
        crashes.add(now);
        RestartPolicy.Decision decision = policy.decide(List.copyOf(crashes), now);
        LOG.errorf("function %s/%s: %s; %s", function.namespace(), function.name(), why, decision.reason());
        blocking.execute(() -> events.crashed(this, exitCode, decision));
        if (decision.giveUp()) {
            firstReady.complete(false);
            return; // the supervisor retires it
        }
        int next = generation;
        timer.schedule(() -> blocking.execute(() -> launch(next)), decision.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A delivery slot on this replica when it is ready and below {@code limit} deliveries in flight: the
     * endpoint to call, with the slot taken (give it back with {@link #release}).
     */
    Optional<URI> tryLease(int limit) {
        if (state != State.READY) {
            return Optional.empty(); // cheap refusal without the lock: most replicas are busy or ready
        }
        synchronized (this) {
            if (state != State.READY || inFlight.get() >= limit) {
                return Optional.empty();
            }
            inFlight.incrementAndGet();
            return Optional.of(process.endpoint());
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }

    /**
     * Leaves the rotation at once (no lease after this returns), then in the background lets deliveries in
     * flight finish ({@code drain}) and stops the process. Idempotent.
     *
     * @return completes once the process has stopped
     */
    CompletableFuture<Void> retire(boolean drain) {
        FunctionProcess p;
        synchronized (this) {
            if (state == State.RETIRED) {
                return stopped;
            }
            state = State.RETIRED;
            generation++;
            p = process;
        }
        firstReady.complete(false);
        blocking.execute(() -> {
            try {
                long deadline = System.nanoTime() + timing.drainLimit().toNanos();
                while (drain && inFlight.get() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // waiting for deliveries to a process we are about to stop
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (p != null) {
                p.stop(timing.stopGrace());
                LOG.infof("function %s/%s: stopped the replica on port %d", function.namespace(), function.name(),
                        p.port());
            }
            events.stopped(this);
            stopped.complete(null);
        });
        return stopped;
    }

    /** Completes with true once the replica is ready for the first time, false if retired or given up before. */
    CompletableFuture<Boolean> firstReady() {
        return firstReady;
    }

    State state() {
        return state;
    }

    boolean serving() {
        return state == State.READY;
    }

    boolean retired() {
        return state == State.RETIRED;
    }

    int inFlight() {
        return inFlight.get();
    }

    int index() {
        return index;
    }

    Function function() {
        return function;
    }

    synchronized int port() {
        return process == null ? -1 : process.port();
    }

    synchronized Long pid() {
        return process == null ? null : process.pid();
    }
}
