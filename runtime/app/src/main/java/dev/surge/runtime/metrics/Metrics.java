package dev.surge.runtime.metrics;

/**
 * Names of Surge's meters, as exposed on {@code /q/metrics} (Prometheus turns dots into underscores and
 * adds {@code _total} to counters, e.g. {@code surge_ingress_events_total}).
 */
public final class Metrics {
    private Metrics() {
    }

    /** Events accepted by the ingress and acknowledged by Kafka; tags: namespace, broker. */
    public static final String INGRESS_EVENTS = "surge.ingress.events";
    /** Requests the ingress refused; tags: namespace, broker, status. */
    public static final String INGRESS_REJECTED = "surge.ingress.rejected";
    /** Time from a request's arrival to its 202; tags: namespace, broker. */
    public static final String INGRESS_LATENCY = "surge.ingress.latency";

    /** Events delivered with a 2xx answer; tags: namespace, trigger. */
    public static final String DISPATCH_DELIVERED = "surge.dispatch.delivered";
    /** Events given up on and sent to the dead-letter sink; tags: namespace, trigger, sink (topic, uri,
     * function, or none when the trigger has no sink and the event was only logged). */
    public static final String DISPATCH_DEAD_LETTERED = "surge.dispatch.dead.lettered";
    /** Deliveries of a trigger in flight now, retries waiting included; tags: namespace, trigger. */
    public static final String DISPATCH_IN_FLIGHT = "surge.dispatch.in.flight";
    /** Failed delivery attempts that will be tried again; tags: namespace, trigger. */
    public static final String DISPATCH_RETRIED = "surge.dispatch.retried";
    /** Events of the broker a trigger's filter passed over; tags: namespace, trigger. */
    public static final String DISPATCH_FILTERED = "surge.dispatch.filtered";
    /**
     * Records of the broker's topic a trigger could not read as a CloudEvent and moved past (logged with
     * their position): written there by something other than Surge's ingress, which accepts only events that
     * can be read and delivered; tags: namespace, trigger.
     */
    public static final String DISPATCH_UNREADABLE = "surge.dispatch.unreadable";
    /** Reply events published back to the broker; tags: namespace, trigger. */
    public static final String DISPATCH_REPLIES = "surge.dispatch.replies";
    /**
     * Matching backlog of all triggers that target a function, as the scaler last read it: events their filters
     * accept and that are not finished yet (never raw consumer-group lag); tags: namespace, function.
     */
    public static final String FUNCTION_BACKLOG = "surge.function.backlog";
    /** Replicas the scaler wants; tags: namespace, function. */
    public static final String FUNCTION_DESIRED_REPLICAS = "surge.function.desired.replicas";
    /** Replicas running or starting; tags: namespace, function. */
    public static final String FUNCTION_REPLICAS = "surge.function.replicas";
    /** Replicas ready to take deliveries; tags: namespace, function. */
    public static final String FUNCTION_READY_REPLICAS = "surge.function.ready.replicas";

    /**
     * Restarts of a trigger's consumer loop after an unexpected error (new consumer, new engine, after an
     * exponential backoff of 1 s to 30 s); tags: namespace, trigger.
     */
    public static final String DISPATCH_RESTARTS = "surge.dispatch.restarts";
    /**
     * Matching events of a trigger not finished yet, read or not (unread ones estimated with the observed
     * match ratio), as its dispatcher last computed; tags: namespace, trigger.
     */
    public static final String DISPATCH_MATCHED_BACKLOG = "surge.dispatch.matched.backlog";

    /** Time of one delivery attempt, from sending to the answer; tags: namespace, trigger. */
    public static final String DISPATCH_LATENCY = "surge.dispatch.latency";
}
