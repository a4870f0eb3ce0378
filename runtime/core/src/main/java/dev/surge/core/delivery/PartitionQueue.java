package dev.surge.core.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The events of one partition waiting for delivery, in offset order, and which of them may start now under
 * the trigger's {@link Ordering}. Not thread-safe; the dispatcher uses it from one thread.
 *
 * @param <T> the dispatcher's work item
 */
public final class PartitionQueue<T> {
    private record Waiting<T>(T item, String key) {
    }

    private final Ordering ordering;
    private final ArrayDeque<Waiting<T>> waiting = new ArrayDeque<>();
    private final Set<String> busyKeys = new HashSet<>();
    private int inFlight;

    public PartitionQueue(Ordering ordering) {
        this.ordering = ordering;
    }

    /** Queues an item; {@code key} is its partition key, or null. */
    public void add(T item, String key) {
        waiting.add(new Waiting<>(item, key));
    }

    /**
     * Removes and returns the items that may start now, in offset order, at most {@code budget}. They count
     * as in flight until {@link #finished}.
     */
    public List<T> takeStartable(int budget) {
        if (budget <= 0 || waiting.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        switch (ordering) {
            case UNORDERED -> {
                while (out.size() < budget && !waiting.isEmpty()) {
                    out.add(waiting.poll().item());
                }
            }
            case ORDERED -> {
                if (inFlight == 0) {
                    out.add(waiting.poll().item());
                }
            }
            case KEYED -> {
                // A key is blocked while one of its events is in flight or an earlier one still waits.
                Set<String> blocked = new HashSet<>(busyKeys);
                for (Iterator<Waiting<T>> it = waiting.iterator(); it.hasNext() && out.size() < budget;) {
                    Waiting<T> w = it.next();
                    if (w.key() == null) {
                        it.remove();
                        out.add(w.item());
                    } else if (blocked.add(w.key())) {
                        it.remove();
                        busyKeys.add(w.key());
                        out.add(w.item());
                    }
                }
            }
        }
        inFlight += out.size();
        return out;
    }

    /** An item taken earlier is finished (delivered or dead-lettered); {@code key} as given to {@link #add}. */
    public void finished(String key) {
        inFlight--;
        if (key != null) {
            busyKeys.remove(key);
        }
    }

    public int waiting() {
        return waiting.size();
    }

    public int inFlight() {
        return inFlight;
    }

    /** Forgets everything, e.g. when the partition is taken away from this dispatcher. */
    public void clear() {
        waiting.clear();
        busyKeys.clear();
        inFlight = 0;
    }
}
