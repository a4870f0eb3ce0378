package dev.surge.core.resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reconciler must do to turn the running {@link ResourceSet} into the next one, kind by kind.
 *
 * <p>Contract of {@link #between}: a resource is identified by {@link Resource#id()} (kind, namespace, name).
 * <ul>
 * <li><b>added</b>: its id is only in {@code next};</li>
 * <li><b>removed</b>: its id is only in {@code running};</li>
 * <li><b>changed</b>: its id is in both and the two versions are not {@link Object#equals equal} (any field:
 * spec, filter, target, delivery, scaling, env, path...);</li>
 * <li>a resource equal in both sets appears nowhere.</li>
 * </ul>
 * A renamed resource is one removed and one added. Added and changed keep the order of {@code next}, removed
 * the order of {@code running}. The diff is pure: it says nothing of dependencies between kinds (a Trigger
 * whose Function changed is not itself changed); a reconciler orders its steps, e.g. adds Brokers before the
 * Triggers that read them.
 *
 * @param brokers   changes of Brokers
 * @param functions changes of Functions
 * @param triggers  changes of Triggers
 */
public record ResourceChanges(Changes<Broker> brokers, Changes<Function> functions, Changes<Trigger> triggers) {

    /** @return the changes that turn {@code running} into {@code next}; empty when the sets are equal */
    public static ResourceChanges between(ResourceSet running, ResourceSet next) {
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(next, "next");
        return new ResourceChanges(Changes.between(running.brokers(), next.brokers()),
                Changes.between(running.functions(), next.functions()),
                Changes.between(running.triggers(), next.triggers()));
    }

    /** True when nothing is added, removed or changed. */
    public boolean isEmpty() {
        return brokers.isEmpty() && functions.isEmpty() && triggers.isEmpty();
    }

    /**
     * The changes of one kind of resource.
     *
     * @param added   resources to start
     * @param removed resources to stop
     * @param changed resources to change, old and new version
     */
    public record Changes<R extends Resource>(List<R> added, List<R> removed, List<Change<R>> changed) {
        public Changes {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
        }

        /**
         * The changes of one kind, with the contract of {@link ResourceChanges#between}, e.g. for a component that
         * runs only Functions. Each list must hold at most one resource per id.
         */
        public static <R extends Resource> Changes<R> between(List<R> running, List<R> next) {
            Map<ResourceId, R> before = byId(running);
            Map<ResourceId, R> after = byId(next);
            List<R> added = new ArrayList<>();
            List<Change<R>> changed = new ArrayList<>();
            for (R r : next) {
                R old = before.get(r.id());
                if (old == null) {
                    added.add(r);
                } else if (!old.equals(r)) {
                    changed.add(new Change<>(old, r));
                }
            }
            List<R> removed = running.stream().filter(r -> !after.containsKey(r.id())).toList();
            return new Changes<>(added, removed, changed);
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }

        private static <R extends Resource> Map<ResourceId, R> byId(List<R> resources) {
            Map<ResourceId, R> out = new LinkedHashMap<>();
            resources.forEach(r -> out.put(r.id(), r));
            return out;
        }
    }

    /**
     * One resource in two versions with the same id.
     *
     * @param before the running version
     * @param after  the version to run instead
     */
    public record Change<R extends Resource>(R before, R after) {
        public Change {
            if (!before.id().equals(after.id())) {
                throw new IllegalArgumentException("a change keeps its id: " + before.id() + " vs " + after.id());
            }
        }
    }
}
