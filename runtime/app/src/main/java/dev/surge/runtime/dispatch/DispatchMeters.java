package dev.surge.runtime.dispatch;

import dev.surge.core.resource.Trigger;
import dev.surge.runtime.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters of one trigger, registered once per dispatcher and kept across restarts of its consumer loop
 * (see {@link Metrics} for the names). The gauges read suppliers that follow the current loop.
 */
final class DispatchMeters {
    final Counter delivered;
    final Counter retried;
    final Counter filtered;
    final Counter unreadable;
    final Counter replies;
    final Counter restarts;
    final Timer latency;
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final String namespace;
    private final String trigger;

    DispatchMeters(Trigger t, MeterRegistry registry, Supplier<Number> inFlight, Supplier<Number> matchedBacklog) {
        this.registry = registry;
        this.namespace = t.namespace();
        this.trigger = t.name();
        delivered = counter(Metrics.DISPATCH_DELIVERED);
        retried = counter(Metrics.DISPATCH_RETRIED);
        filtered = counter(Metrics.DISPATCH_FILTERED);
        unreadable = counter(Metrics.DISPATCH_UNREADABLE);
        replies = counter(Metrics.DISPATCH_REPLIES);
        restarts = counter(Metrics.DISPATCH_RESTARTS);
        latency = Timer.builder(Metrics.DISPATCH_LATENCY).tags("namespace", namespace, "trigger", trigger)
                .publishPercentiles(0.5, 0.99).register(registry);
        gauges = java.util.List.of(
                Gauge.builder(Metrics.DISPATCH_IN_FLIGHT, inFlight).tags("namespace", namespace, "trigger", trigger)
                        .register(registry),
                Gauge.builder(Metrics.DISPATCH_MATCHED_BACKLOG, matchedBacklog)
                        .tags("namespace", namespace, "trigger", trigger).register(registry));
    }

    private final java.util.List<Gauge> gauges;

    /**
     * Removes the gauges, which read this dispatcher: a trigger changed while Surge runs gets a new dispatcher,
     * whose gauges must replace these (Micrometer would keep the first). Counters stay and go on counting.
     */
    void removeGauges() {
        gauges.forEach(registry::remove);
    }

    /** Events dead-lettered so far, by sink, as {@code surge_dispatch_dead_lettered_total} counts them. */
    Map<String, Long> deadLetteredBySink() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        deadLettered.forEach((sink, counter) -> counts.put(sink, (long) counter.count()));
        return counts;
    }

    Counter deadLettered(String sink) {
        return deadLettered.computeIfAbsent(sink, s -> Counter.builder(Metrics.DISPATCH_DEAD_LETTERED)
                .tags("namespace", namespace, "trigger", trigger, "sink", s).register(registry));
    }

    private Counter counter(String name) {
        return Counter.builder(name).tags("namespace", namespace, "trigger", trigger).register(registry);
    }
}
