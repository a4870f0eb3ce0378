package dev.surge.runtime.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dispatcher pods of a cluster counted for each trigger, summed over the pods: every replica of the
 * dispatcher consumes its share of each trigger's partitions and counts only its own deliveries, since it started.
 * Known only when every dispatcher pod answered: a sum without one of them would pass for the whole and be too low.
 * Pure.
 *
 * @param dispatchers the pods asked, and for each why it gave no counts (null when it answered)
 * @param problems    why the counts are unknown, in words, when they are (no pod found, a right missing, a pod
 *                    that did not answer); empty when they are known
 */
record DispatcherCounts(List<Dispatcher> dispatchers, Map<String, TriggerCounts> byTrigger, List<String> problems) {

    /** A dispatcher pod, and why it gave no counts, or null when it answered. */
    record Dispatcher(String namespace, String pod, String problem) {
    }

    /** One trigger's counts, summed over the dispatcher pods. */
    record TriggerCounts(int inFlight, long delivered, Map<String, Long> deadLettered, int restarts) {
    }

    /** What one pod answered to {@code GET /triggers}: its rows, or null with why there are none. */
    record Answer(String namespace, String pod, List<StatusReport.TriggerRow> triggers, String problem) {
        static Answer of(String namespace, String pod, List<StatusReport.TriggerRow> triggers) {
            return new Answer(namespace, pod, triggers, null);
        }

        static Answer failed(String namespace, String pod, String problem) {
            return new Answer(namespace, pod, null, problem);
        }
    }

    DispatcherCounts {
        dispatchers = List.copyOf(dispatchers);
        byTrigger = Map.copyOf(byTrigger);
        problems = List.copyOf(problems);
    }

    /** Unknown counts: no pod could be asked, for this reason. */
    static DispatcherCounts unknown(String problem) {
        return new DispatcherCounts(List.of(), Map.of(), List.of(problem));
    }

    /** The sums of the answers; unknown when there is none or one of them failed. */
    static DispatcherCounts sum(List<Answer> answers, String where) {
        List<Dispatcher> dispatchers = answers.stream().map(a -> new Dispatcher(a.namespace(), a.pod(), a.problem()))
                .toList();
        if (answers.isEmpty()) {
            return new DispatcherCounts(dispatchers, Map.of(), List.of("no running dispatcher pod " + where));
        }
        List<String> problems = answers.stream().filter(a -> a.problem() != null).map(Answer::problem).distinct()
                .toList();
        if (!problems.isEmpty()) {
            return new DispatcherCounts(dispatchers, Map.of(), problems);
        }
        Map<String, TriggerCounts> sums = new HashMap<>();
        for (Answer a : answers) {
            for (StatusReport.TriggerRow t : a.triggers()) {
                sums.merge(key(t.namespace(), t.name()), counts(t), DispatcherCounts::plus);
            }
        }
        return new DispatcherCounts(dispatchers, sums, List.of());
    }

    boolean known() {
        return problems.isEmpty();
    }

    /**
     * The counts of trigger {@code namespace/name}, or null when unknown: the pods gave none, or none of them runs
     * it (a trigger the dispatchers left out as invalid, or not started yet).
     */
    TriggerCounts of(String namespace, String name) {
        return known() ? byTrigger.get(key(namespace, name)) : null;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static TriggerCounts counts(StatusReport.TriggerRow t) {
        return new TriggerCounts(t.inFlight() == null ? 0 : t.inFlight(), t.delivered() == null ? 0 : t.delivered(),
                t.deadLettered() == null ? Map.of() : t.deadLettered(), t.restarts() == null ? 0 : t.restarts());
    }

    private static TriggerCounts plus(TriggerCounts a, TriggerCounts b) {
        Map<String, Long> dead = new TreeMap<>(a.deadLettered());
        b.deadLettered().forEach((sink, n) -> dead.merge(sink, n, Long::sum));
        return new TriggerCounts(a.inFlight() + b.inFlight(), a.delivered() + b.delivered(), dead,
                a.restarts() + b.restarts());
    }

    /** The pods asked, as {@code namespace/pod}. */
    List<String> podNames() {
        List<String> names = new ArrayList<>();
        dispatchers.forEach(d -> names.add(d.namespace() + "/" + d.pod()));
        return names;
    }
}
