package dev.surge.runtime.local;

import dev.surge.backlog.BacklogReader;
import dev.surge.core.delivery.Ordering;
import dev.surge.core.resource.Function;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import dev.surge.core.scaling.LagSnapshot;
import dev.surge.core.scaling.ScalingDecision;
import dev.surge.core.scaling.ScalingHistory;
import dev.surge.core.scaling.Scaler;
import dev.surge.runtime.metrics.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Local mode's scaler: every {@code pollingInterval} it reads the matching backlog of each function's
 * triggers ({@link BacklogReader}: events their filters pass over never count), asks the pure {@link Scaler}
 * for a decision, and has the {@link FunctionSupervisor} realize it. A dispatcher that finds no ready replica
 * calls {@link #activate}, which decides at once, so scale-from-zero never waits for a poll. One thread does
 * all of it, so decisions for a function never race.
 */
public final class LocalScaler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalScaler.class);

    /** What the scaler knows of one function. Spec and triggers are replaced by {@link #apply}. */
    private static final class State {
        volatile Function function;
        volatile List<Trigger> triggers;
        volatile int partitionLimit;
        volatile ScalingHistory history;
        volatile ScalingDecision last;
        volatile Instant lastTime;
        volatile long backlog;
        /** A dispatcher or the activator asked for a ready replica since the last decision. */
        volatile boolean signalled;
        ScheduledFuture<?> polling;
        List<Gauge> gauges = List.of();

        State(Function function, Instant now) {
            this.function = function;
            this.history = ScalingHistory.start(0, now);
        }
    }

    /** The last decision for a function, for status endpoints. */
    public record FunctionScaling(long backlog, ScalingDecision decision, Instant decidedAt) {
    }

    private final FunctionSupervisor supervisor;
    private final BacklogReader backlogReader;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "surge-scaler");
        t.setDaemon(true);
        return t;
    });
    private boolean started;

    /** A scaler of no function yet: {@link #apply} hands it the resources. */
    public LocalScaler(FunctionSupervisor supervisor, BacklogReader backlogReader, Clock clock, MeterRegistry registry) {
        this.supervisor = supervisor;
        this.backlogReader = backlogReader;
        this.clock = clock;
        this.registry = registry;
        supervisor.onActivation(this::activate);
    }

    public synchronized void start() {
        started = true;
        states.values().forEach(this::poll);
    }

    /**
     * Takes a new set of resources while running: a new function gets its state, gauges and polling; a
     * removed one loses them; a changed spec or changed triggers replace what the next decision reads, while
     * the scaling history (replicas, last activity, stabilization window) carries on. Apply the same set to
     * the {@link FunctionSupervisor} first, so the functions scaled here are registered there.
     */
    public synchronized void apply(ResourceSet resources) {
        Set<String> wanted = new HashSet<>();
        for (Function f : resources.functions()) {
            String key = key(f.namespace(), f.name());
            wanted.add(key);
            List<Trigger> triggers = resources.triggers().stream()
                    .filter(t -> f.name().equals(t.function()) && f.namespace().equals(t.namespace())).toList();
            int limit = triggers.stream().filter(t -> t.delivery().ordering() == Ordering.ORDERED)
                    .mapToInt(t -> resources.broker(t.namespace(), t.broker()).orElseThrow().partitions())
                    .min().orElse(Integer.MAX_VALUE);
            State s = states.get(key);
            boolean fresh = s == null;
            Duration interval = fresh ? null : s.function.scaling().pollingInterval();
            if (fresh) {
                s = new State(f, clock.instant());
                s.gauges = gauges(s, f);
            }
            s.function = f;
            s.triggers = triggers;
            s.partitionLimit = limit;
            states.put(key, s);
            if (started && (fresh || !interval.equals(f.scaling().pollingInterval()))) {
                poll(s);
            }
        }
        for (String key : Set.copyOf(states.keySet())) {
            if (!wanted.contains(key)) {
                State s = states.remove(key);
                if (s.polling != null) {
                    s.polling.cancel(false);
                }
                s.gauges.forEach(registry::remove);
            }
        }
    }

    private List<Gauge> gauges(State s, Function f) {
        String[] tags = {"namespace", f.namespace(), "function", f.name()};
        return List.of(
                Gauge.builder(Metrics.FUNCTION_BACKLOG, s, x -> x.backlog).tags(tags)
                        .description("matching backlog of the function's triggers, as the scaler last read it")
                        .register(registry),
                Gauge.builder(Metrics.FUNCTION_DESIRED_REPLICAS, s, x -> x.history.replicas()).tags(tags)
                        .register(registry),
                Gauge.builder(Metrics.FUNCTION_REPLICAS, supervisor, sv -> sv.status(f.namespace(), f.name())
                        .map(FunctionSupervisor.FunctionStatus::replicas).orElse(0)).tags(tags).register(registry),
                Gauge.builder(Metrics.FUNCTION_READY_REPLICAS, supervisor, sv -> sv.status(f.namespace(), f.name())
                        .map(FunctionSupervisor.FunctionStatus::readyReplicas).orElse(0)).tags(tags).register(registry));
    }

    private void poll(State s) {
        if (s.polling != null) {
            s.polling.cancel(false);
        }
        long every = Math.max(50, s.function.scaling().pollingInterval().toMillis());
        s.polling = thread.scheduleWithFixedDelay(() -> evaluate(s, false), 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A dispatcher (or the activator) has an event for a function with no ready replica. At zero it decides at
     * once; otherwise the signal counts as work at the next poll, so a replica still starting is not scaled
     * away by the cooldown while someone waits for it (a JVM can take longer to start than the cooldown).
     * Cheap to call often.
     */
    public void activate(String namespace, String function) {
        State s = states.get(key(namespace, function));
        if (s == null) {
            return;
        }
        s.signalled = true;
        if (s.history.replicas() == 0) {
            thread.execute(() -> evaluate(s, true));
        }
    }

    private void evaluate(State s, boolean activation) {
        try {
            Function f = s.function;
            if (states.get(key(f.namespace(), f.name())) != s) {
                return; // removed meanwhile
            }
            Optional<FunctionSupervisor.FunctionStatus> status = supervisor.status(f.namespace(), f.name());
            if (status.isEmpty() || status.get().held()) {
                return;
            }
            if (activation && s.history.replicas() > 0) {
                return; // an earlier signal already started it
            }
            if (!activation) {
                s.backlog = readBacklog(s);
            }
            boolean signal = activation || s.signalled;
            s.signalled = false;
            Instant now = clock.instant();
            ScalingHistory history = s.history.withReplicas(status.get().replicas());
            Scaler.Result r = Scaler.decide(new LagSnapshot(s.backlog, status.get().inFlight(), s.partitionLimit,
                    signal), f.scaling(), history, now);
            s.history = r.history();
            s.last = r.decision();
            s.lastTime = now;
            if (r.decision().changes()) {
                LOG.infof("function %s/%s: %d → %d replicas (%s)", f.namespace(), f.name(), r.decision().current(),
                        r.decision().replicas(), r.decision().reason());
                supervisor.scaleTo(f.namespace(), f.name(), r.decision().replicas());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "scaling %s/%s failed", s.function.namespace(), s.function.name());
        }
    }

    private long readBacklog(State s) {
        long total = 0;
        for (Trigger t : s.triggers) {
            try {
                total += backlogReader.matchingBacklog(t);
            } catch (Exception e) {
                LOG.debugf("backlog of trigger %s unknown (%s); keeping the last value", t.name(), e.getMessage());
                return s.backlog;
            }
        }
        return total;
    }

    public Optional<FunctionScaling> status(String namespace, String function) {
        State s = states.get(key(namespace, function));
        return s == null ? Optional.empty() : Optional.of(new FunctionScaling(s.backlog, s.last, s.lastTime));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
