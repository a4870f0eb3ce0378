package dev.surge.runtime.resources;

import dev.surge.core.resource.Resource;
import dev.surge.core.resource.ResourceChanges;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Makes what runs match the resources: compares the running set with the source's, by value, and starts,
 * changes or stops just the difference. Level-triggered: a step that failed (Kafka unreachable while a topic
 * is created) is tried again at the next tick until what runs is what was asked.
 *
 * <p>Order of a change: topics of new brokers and dead-letter sinks first (so nothing is accepted or
 * dead-lettered to a missing topic), then removed and changed triggers stop (they finish their deliveries in
 * flight and commit), then functions are applied (new ones registered, removed ones retired, changed ones
 * restarted), then new and changed triggers start. A changed trigger keeps its consumer group, so it goes on
 * from its last commit: at-least-once across the change.
 *
 * <p>A removed broker stops accepting events at once (the ingress looks brokers up in {@link #running()});
 * its topic and the events in it are kept, since deleting data is not a reconciler's call.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    /** Creates missing topics of brokers and dead-letter sinks and grows partitions; idempotent. */
    public interface Topics {
        void ensure(ResourceSet resources) throws Exception;
    }

    /** A trigger being delivered; {@link #close()} finishes deliveries in flight, commits and leaves the group. */
    public interface RunningTrigger extends AutoCloseable {
        @Override
        void close();
    }

    /** Starts a trigger's dispatcher. Null when this process does not run the dispatcher role. */
    public interface Triggers {
        RunningTrigger start(Trigger trigger);
    }

    /** Local mode's function processes and their scaler. Null when this process does not run them. */
    public interface Functions {
        void apply(ResourceSet resources);
    }

    private final ResourceSource source;
    private final Topics topics;
    private final Triggers triggers;
    private final Functions functions;
    private final Map<String, Running> dispatchers = new LinkedHashMap<>();
    /** What the ingress and status endpoints see: the last set whose topics and functions were applied. */
    private volatile ResourceSet running;
    /** The last set applied completely; until the source's set equals it, every tick applies again. */
    private ResourceSet applied = ResourceSet.EMPTY;
    private ScheduledExecutorService ticks;

    private record Running(Trigger trigger, RunningTrigger handle) {
    }

    public Reconciler(ResourceSource source, Topics topics, Triggers triggers, Functions functions) {
        this.source = source;
        this.topics = topics;
        this.triggers = triggers;
        this.functions = functions;
        this.running = ResourceSet.EMPTY;
    }

    /** Applies the source's current set now; throws when that fails, as a start-up must not go on half done. */
    public synchronized void applyNow() throws Exception {
        apply(source.current());
    }

    /** Watches the source every {@code intervalMs} and applies its changes. */
    public synchronized void watch(long intervalMs) {
        if (intervalMs <= 0 || ticks != null) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "surge-reconciler");
            t.setDaemon(true);
            return t;
        });
        ticks.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        try {
            source.poll();
            ResourceSet wanted = source.current();
            if (!wanted.equals(applied)) {
                apply(wanted);
            }
        } catch (Exception e) {
            LOG.errorf("applying the resources of %s failed; trying again: %s", source.describe(), e.getMessage());
        }
    }

    /** What runs now; the ingress and the status endpoints read it. */
    public ResourceSet running() {
        return running;
    }

    /**
     * Every step is idempotent for {@code next} and triggers are compared with the dispatchers that actually run,
     * so applying the same set again after a failure finishes what the failed attempt left undone. Only a
     * complete application is remembered as {@link #applied}.
     */
    private void apply(ResourceSet next) throws Exception {
        if (next.equals(applied)) {
            return;
        }
        ResourceSet before = applied;
        ResourceChanges changes = ResourceChanges.between(before, next);
        topics.ensure(next);
        Map<String, Trigger> wanted = new LinkedHashMap<>();
        next.triggers().forEach(t -> wanted.put(key(t), t));
        // A trigger of a broker whose topic grew restarts, so its consumer sees the new partitions now rather
        // than at its next metadata refresh (minutes).
        java.util.Set<String> grown = new java.util.HashSet<>();
        for (var b : changes.brokers().changed()) {
            // Only a topic that grew: a changed retention or policy of who may post changes nothing a trigger reads.
            if (b.after().partitions() > b.before().partitions()) {
                next.triggersOf(b.after()).forEach(t -> grown.add(key(t)));
            }
        }
        List<Exception> failures = new ArrayList<>();
        if (triggers != null) {
            for (var e : List.copyOf(dispatchers.entrySet())) {
                Trigger want = wanted.get(e.getKey());
                if (want == null || !want.equals(e.getValue().trigger()) || grown.contains(e.getKey())) {
                    dispatchers.remove(e.getKey());
                    try {
                        e.getValue().handle().close(); // one at a time: each drains its deliveries and commits
                    } catch (RuntimeException x) {
                        LOG.errorf(x, "stopping trigger %s failed", e.getKey());
                    }
                }
            }
        }
        if (functions != null) {
            functions.apply(next);
        }
        // Visible before new triggers start: a new broker accepts, a trigger's function is known to the scaler.
        running = next;
        if (triggers != null) {
            for (Trigger t : next.triggers()) {
                if (!dispatchers.containsKey(key(t))) {
                    try {
                        dispatchers.put(key(t), new Running(t, triggers.start(t)));
                    } catch (RuntimeException x) {
                        LOG.errorf(x, "starting trigger %s failed; trying again", key(t));
                        failures.add(x);
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0); // not applied: the next tick applies this set again
        }
        applied = next;
        if (before != ResourceSet.EMPTY && !changes.isEmpty()) {
            LOG.infof("resources of %s applied: %s", source.describe(), String.join("; ", List.of(
                    describe(changes.brokers(), "broker"), describe(changes.functions(), "function"),
                    describe(changes.triggers(), "trigger")).stream().filter(x -> !x.isEmpty()).toList()));
        }
    }

    /** Removed, and the old version of changed ones. */
    private static <R extends Resource> List<R> goingAway(ResourceChanges.Changes<R> c) {
        List<R> all = new ArrayList<>(c.removed());
        c.changed().forEach(x -> all.add(x.before()));
        return all;
    }

    /** Added, and the new version of changed ones. */
    private static <R extends Resource> List<R> comingIn(ResourceChanges.Changes<R> c) {
        List<R> all = new ArrayList<>(c.added());
        c.changed().forEach(x -> all.add(x.after()));
        return all;
    }

    private static String describe(ResourceChanges.Changes<? extends Resource> c, String kind) {
        List<String> parts = new ArrayList<>();
        c.added().forEach(x -> parts.add("added " + kind + " " + x.namespace() + "/" + x.name()));
        c.changed().forEach(x -> parts.add("changed " + kind + " " + x.after().namespace() + "/" + x.after().name()));
        c.removed().forEach(x -> parts.add("removed " + kind + " " + x.namespace() + "/" + x.name()));
        return String.join(", ", parts);
    }

    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
        // All at once: each waits for its deliveries in flight (up to its drain grace).
        List<Thread> closing = new ArrayList<>();
        for (Running r : dispatchers.values()) {
            Thread t = new Thread(() -> r.handle().close(), "surge-stop-" + key(r.trigger()));
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        dispatchers.clear();
    }

    private static String key(Trigger t) {
        return t.namespace() + "/" + t.name();
    }
}
