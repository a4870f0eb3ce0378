package dev.surge.runtime.local;

import dev.surge.core.KafkaNames;
import dev.surge.core.delivery.Ordering;
import dev.surge.core.resource.Function;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import dev.surge.core.scaling.LagSnapshot;
import dev.surge.core.scaling.ScalingDecision;
import dev.surge.core.scaling.ScalingHistory;
import dev.surge.core.scaling.Scaler;
import dev.surge.runtime.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Local mode's scaler: every {@code pollingInterval} it reads the lag of each function's triggers, asks the
 * pure {@link Scaler} for a decision, and has the {@link FunctionSupervisor} realize it. A dispatcher that
 * finds no ready replica calls {@link #activate}, which decides at once, so scale-from-zero never waits for
 * a poll. One thread does all of it, so decisions for a function never race.
 */
public final class LocalScaler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalScaler.class);

    /** What the scaler knows of one function. */
    private static final class State {
        final Function function;
        final List<Trigger> triggers;
        final int partitionLimit;
        volatile ScalingHistory history;
        volatile ScalingDecision last;
        volatile Instant lastTime;
        volatile long lag;

        State(Function function, List<Trigger> triggers, int partitionLimit, Instant now) {
            this.function = function;
            this.triggers = triggers;
            this.partitionLimit = partitionLimit;
            this.history = ScalingHistory.start(0, now);
        }
    }

    /** The last decision for a function, for status endpoints. */
    public record FunctionScaling(long lag, ScalingDecision decision, Instant decidedAt) {
    }

    private final FunctionSupervisor supervisor;
    private final LagReader lagReader;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "surge-scaler");
        t.setDaemon(true);
        return t;
    });

    private final MeterRegistry registry;

    public LocalScaler(FunctionSupervisor supervisor, LagReader lagReader, Clock clock, MeterRegistry registry) {
        this.supervisor = supervisor;
        this.lagReader = lagReader;
        this.clock = clock;
        this.registry = registry;
        supervisor.onActivation(this::activate);
    }

    /** Temporary: registers functions not known yet (the local-mode branch brings the full apply). */
    public void apply(ResourceSet resources) {
        for (Function f : resources.functions()) {
            if (states.containsKey(key(f.namespace(), f.name()))) {
                continue;
            }
            List<Trigger> triggers = resources.triggers().stream()
                    .filter(t -> f.name().equals(t.function()) && f.namespace().equals(t.namespace())).toList();
            int limit = triggers.stream().filter(t -> t.delivery().ordering() == Ordering.ORDERED)
                    .mapToInt(t -> resources.broker(t.namespace(), t.broker()).orElseThrow().partitions())
                    .min().orElse(Integer.MAX_VALUE);
            State s = new State(f, triggers, limit, clock.instant());
            states.put(key(f.namespace(), f.name()), s);
            String[] tags = {"namespace", f.namespace(), "function", f.name()};
            Gauge.builder(Metrics.FUNCTION_LAG, s, x -> x.lag).tags(tags).register(registry);
            Gauge.builder(Metrics.FUNCTION_DESIRED_REPLICAS, s, x -> x.history.replicas()).tags(tags).register(registry);
            Gauge.builder(Metrics.FUNCTION_REPLICAS, supervisor,
                    sv -> sv.status(f.namespace(), f.name()).map(FunctionSupervisor.FunctionStatus::replicas).orElse(0))
                    .tags(tags).register(registry);
            Gauge.builder(Metrics.FUNCTION_READY_REPLICAS, supervisor,
                    sv -> sv.status(f.namespace(), f.name()).map(FunctionSupervisor.FunctionStatus::readyReplicas).orElse(0))
                    .tags(tags).register(registry);
        }
    }

    public void start() {
        for (State s : states.values()) {
            long every = Math.max(50, s.function.scaling().pollingInterval().toMillis());
            thread.scheduleWithFixedDelay(() -> evaluate(s, false), 0, every, TimeUnit.MILLISECONDS);
        }
    }

    /** A dispatcher has an event for a function with no ready replica. Cheap to call often. */
    public void activate(String namespace, String function) {
        State s = states.get(key(namespace, function));
        if (s != null && s.history.replicas() == 0) {
            thread.execute(() -> evaluate(s, true));
        }
    }

    private void evaluate(State s, boolean activation) {
        try {
            Function f = s.function;
            Optional<FunctionSupervisor.FunctionStatus> status = supervisor.status(f.namespace(), f.name());
            if (status.isEmpty() || status.get().held()) {
                return;
            }
            if (activation && s.history.replicas() > 0) {
                return; // an earlier signal already started it
            }
            if (!activation) {
                s.lag = readLag(s);
            }
            Instant now = clock.instant();
            ScalingHistory history = s.history.withReplicas(status.get().replicas());
            Scaler.Result r = Scaler.decide(new LagSnapshot(s.lag, status.get().inFlight(), s.partitionLimit, activation),
                    f.scaling(), history, now);
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

    private long readLag(State s) {
        long total = 0;
        for (Trigger t : s.triggers) {
            try {
                total += lagReader.lag(KafkaNames.triggerGroup(t.namespace(), t.name()),
                        KafkaNames.brokerTopic(t.namespace(), t.broker()));
            } catch (Exception e) {
                LOG.debugf("lag of trigger %s unknown (%s); keeping the last value", t.name(), e.getMessage());
                return s.lag;
            }
        }
        return total;
    }

    public Optional<FunctionScaling> status(String namespace, String function) {
        State s = states.get(key(namespace, function));
        return s == null ? Optional.empty() : Optional.of(new FunctionScaling(s.lag, s.last, s.lastTime));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
