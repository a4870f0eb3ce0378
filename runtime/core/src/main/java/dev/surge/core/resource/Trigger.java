package dev.surge.core.resource;

import dev.surge.core.delivery.DeliverySpec;
import dev.surge.core.filter.TriggerFilter;
import java.net.URI;
import java.util.Objects;

/**
 * Routes the events of a broker that pass {@link #filter()} to a function or a plain URL.
 *
 * @param broker   name of the broker (same namespace)
 * @param filter   the compiled {@code filter} and {@code filters} of the spec; all must match. A value:
 *                 triggers read from the same spec are equal
 * @param function the target function's name, or null when {@link #uri()} is the target
 * @param uri      an absolute http(s) URL, or null when {@link #function()} is the target
 * @param delivery retries, dead letters and ordering
 */
public record Trigger(Metadata metadata, String broker, TriggerFilter filter, String function, URI uri,
        DeliverySpec delivery) implements Resource {

    public Trigger {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(delivery, "delivery");
    }
}
