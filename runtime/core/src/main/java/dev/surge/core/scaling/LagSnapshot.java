package dev.surge.core.scaling;

/**
 * What the scaler knows of a function at one moment.
 *
 * @param lag              the matching backlog: events its triggers' filters accept and that are not
 *                         finished yet, summed over every trigger that targets the function (see
 *                         {@link MatchingBacklog}); events the filters pass over never count, so this is not
 *                         raw consumer-group lag. KEDA's rule applies to it unchanged.
 * @param inFlight         deliveries to it in flight now
 * @param partitionLimit   most replicas that can be busy at once: the partitions of its {@code ordered}
 *                         triggers, or {@link Integer#MAX_VALUE} when it has none
 * @param activationSignal a dispatcher saw a matching event while the function had no ready replica
 */
public record LagSnapshot(long lag, int inFlight, int partitionLimit, boolean activationSignal) {
    public static LagSnapshot of(long lag) {
        return new LagSnapshot(lag, 0, Integer.MAX_VALUE, false);
    }

    boolean idle() {
        return lag == 0 && inFlight == 0 && !activationSignal;
    }
}
