package dev.surge.runtime.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What {@code surge status} shows, read from a running Surge ({@link LocalStatus}) or a cluster
 * ({@link ClusterStatus}); a field a source does not know is null (shown as {@code -}).
 *
 * @param source where it was read: the URL of the runtime, or the cluster's API server
 * @param counts on a cluster: where the triggers' counts come from and whether they are known; null for a runtime
 *               (its own counts, since it started)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StatusReport(String source, List<BrokerRow> brokers, List<TriggerRow> triggers, List<FunctionRow> functions,
        Counts counts) {

    /** A runtime's report: its own counts. */
    StatusReport(String source, List<BrokerRow> brokers, List<TriggerRow> triggers, List<FunctionRow> functions) {
        this(source, brokers, triggers, functions, null);
    }

    /**
     * On a cluster, the triggers' in flight, delivered, dead-lettered and restarts are the sums of what the
     * dispatcher pods answered, each counting since it started.
     *
     * @param known       whether they are: every dispatcher pod answered (else they are null, shown as {@code -})
     * @param since       since when they count
     * @param dispatchers the pods asked, with why one gave no counts
     * @param problems    why they are unknown; empty when known
     */
    record Counts(boolean known, String since, List<DispatcherCounts.Dispatcher> dispatchers, List<String> problems) {
        static final String SINCE = "each dispatcher pod's start";

        static Counts of(DispatcherCounts counts) {
            return new Counts(counts.known(), SINCE, counts.dispatchers(), counts.problems());
        }
    }

    /**
     * @param address where events are posted
     * @param ready   whether it takes events: {@code True}/{@code False} (the cluster's Ready condition), or null
     * @param message why not ready, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BrokerRow(String namespace, String name, String topic, String address, String ready, String message) {
    }

    /**
     * @param target       {@code function <name>} or the URL it delivers to
     * @param state        RUNNING, RESTARTING, STOPPED (a runtime), or the cluster's Ready condition
     * @param lag          matching events not finished
     * @param inFlight     deliveries in flight now
     * @param delivered    events delivered with a 2xx since the runtime (each dispatcher pod) started
     * @param deadLettered events given up on since the runtime (each dispatcher pod) started, by sink
     * @param restarts     restarts of its consumer loop
     * @param message      the last error, or why it is not ready
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TriggerRow(String namespace, String name, String broker, String target, String state, Long lag,
            Integer inFlight, Long delivered, Map<String, Long> deadLettered, Integer restarts, String message) {
    }

    /**
     * @param replicas        replicas running
     * @param readyReplicas   replicas ready
     * @param lag             matching backlog of its triggers, as the scaler last read it
     * @param desiredReplicas the scaler's last decision, or null
     * @param decidedAt       when it decided, or null
     * @param reason          why, in words
     * @param message         why it does not run (stopped after crashes, not ready), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FunctionRow(String namespace, String name, Integer replicas, Integer readyReplicas, Long lag,
            Integer desiredReplicas, String decidedAt, String reason, String message) {
    }

    /** The rows of one namespace, or all of them for null. */
    StatusReport inNamespace(String namespace) {
        if (namespace == null) {
            return this;
        }
        return new StatusReport(source, brokers.stream().filter(b -> b.namespace().equals(namespace)).toList(),
                triggers.stream().filter(t -> t.namespace().equals(namespace)).toList(),
                functions.stream().filter(f -> f.namespace().equals(namespace)).toList(), counts);
    }
}
