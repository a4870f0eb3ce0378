package dev.surge.runtime.resources;

import dev.surge.core.resource.Broker;
import dev.surge.core.resource.Function;
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
    private volatile ResourceSet running;
    private ScheduledExecutorService ticks;

    private record Running(Trigger trigger, RunningTrigger handle) {
    }

    public Reconciler(ResourceSource source, Topics topics, Triggers triggers, Functions functions) {
        this.source = source;
        this.topics = topics;
        this.triggers = triggers;
        this.functions = functions;
        this.running = new ResourceSet(List.of(), List.of(), List.of());
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
            if (!wanted.equals(running)) {
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

    private void apply(ResourceSet next) throws Exception {
        ResourceSet before = running;
        Changes<Broker> brokers = Changes.between(before.brokers(), next.brokers(), Reconciler::key);
        Changes<Function> fns = Changes.between(before.functions(), next.functions(), Reconciler::key);
        Changes<Trigger> trs = Changes.between(before.triggers(), next.triggers(), Reconciler::key);
        if (brokers.none() && fns.none() && trs.none()) {
            return;
        }
        topics.ensure(next);
        if (triggers != null) {
            List<Running> stopping = new ArrayList<>();
            for (Trigger t : trs.goingAway()) {
                Running r = dispatchers.remove(key(t));
                if (r != null) {
                    stopping.add(r);
                }
            }
            stopping.parallelStream().forEach(r -> r.handle().close());
        }
        if (functions != null) {
            functions.apply(next);
        }
        // The new set is visible before new triggers start: a trigger's function is known to the scaler.
        running = next;
        if (triggers != null) {
            for (Trigger t : trs.comingIn()) {
                dispatchers.put(key(t), new Running(t, triggers.start(t)));
            }
        }
        if (!before.brokers().isEmpty() || !before.triggers().isEmpty() || !before.functions().isEmpty()) {
            LOG.infof("resources of %s applied: %s", source.describe(), String.join("; ", List.of(
                    brokers.describe("broker"), fns.describe("function"), trs.describe("trigger")).stream()
                    .filter(s -> !s.isEmpty()).toList()));
        }
    }

    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
        new ArrayList<>(dispatchers.values()).parallelStream().forEach(r -> r.handle().close());
        dispatchers.clear();
    }

    private static String key(Broker b) {
        return b.namespace() + "/" + b.name();
    }

    private static String key(Function f) {
        return f.namespace() + "/" + f.name();
    }

    private static String key(Trigger t) {
        return t.namespace() + "/" + t.name();
    }

    /** What changed in one kind of resource, identity being namespace/name and equality by value. */
    record Changes<T>(List<T> added, List<T> removed, List<T> changedFrom, List<T> changedTo,
            java.util.function.Function<T, String> key) {

        static <T> Changes<T> between(List<T> before, List<T> after, java.util.function.Function<T, String> key) {
            Map<String, T> old = new LinkedHashMap<>();
            before.forEach(x -> old.put(key.apply(x), x));
            List<T> added = new ArrayList<>();
            List<T> from = new ArrayList<>();
            List<T> to = new ArrayList<>();
            for (T x : after) {
                T was = old.remove(key.apply(x));
                if (was == null) {
                    added.add(x);
                } else if (!was.equals(x)) {
                    from.add(was);
                    to.add(x);
                }
            }
            return new Changes<>(added, new ArrayList<>(old.values()), from, to, key);
        }

        boolean none() {
            return added.isEmpty() && removed.isEmpty() && changedTo.isEmpty();
        }

        /** Removed, and the old version of changed ones. */
        List<T> goingAway() {
            List<T> all = new ArrayList<>(removed);
            all.addAll(changedFrom);
            return all;
        }

        /** Added, and the new version of changed ones. */
        List<T> comingIn() {
            List<T> all = new ArrayList<>(added);
            all.addAll(changedTo);
            return all;
        }

        String describe(String kind) {
            List<String> parts = new ArrayList<>();
            added.forEach(x -> parts.add("added " + kind + " " + key.apply(x)));
            changedTo.forEach(x -> parts.add("changed " + kind + " " + key.apply(x)));
            removed.forEach(x -> parts.add("removed " + kind + " " + key.apply(x)));
            return String.join(", ", parts);
        }
    }
}
