package dev.surge.core.filter;

import io.cloudevents.CloudEvent;

/**
 * Decides whether a trigger wants an event. Implementations are pure and thread-safe: the
 * dispatcher calls them for every event of the broker, from several threads.
 */
@FunctionalInterface
public interface TriggerFilter {
    TriggerFilter ALL = event -> true;

    boolean test(CloudEvent event);

    default TriggerFilter and(TriggerFilter other) {
        if (this == ALL) {
            return other;
        }
        if (other == ALL) {
            return this;
        }
        return event -> test(event) && other.test(event);
    }
}
