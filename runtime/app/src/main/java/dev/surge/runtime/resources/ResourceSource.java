package dev.surge.runtime.resources;

import dev.surge.core.resource.ResourceSet;
import java.util.Optional;

/**
 * Where the runtime's Brokers, Functions and Triggers come from: the watched {@code surge.yaml} in local
 * mode, the cluster's custom resources in Kubernetes mode. The reconciler asks it often and applies what
 * changed; a source answers cheaply when nothing did.
 */
public interface ResourceSource {

    /**
     * The latest valid set of resources. An invalid change is not returned: the source reports it (with the
     * same problems as {@code surge validate}) and keeps answering the last valid set.
     */
    ResourceSet current();

    /** Looks for a change now; returns the new valid set when there is one. */
    Optional<ResourceSet> poll();

    /** What the user knows this source as, e.g. the file's path, for logs and the start-up summary. */
    String describe();
}
