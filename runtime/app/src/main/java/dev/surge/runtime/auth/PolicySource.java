package dev.surge.runtime.auth;

import dev.surge.core.resource.Broker;
import java.util.List;
import java.util.Optional;

/** What {@link AccessControl} needs of the running platform. */
public interface PolicySource {
    /** Every broker at this moment (their policies are in force; the others' are dropped). */
    List<Broker> brokers();

    /** Kubernetes mode's Secrets; empty in local mode, where a {@code secretRef} cannot be read. */
    Optional<TokenSecrets> tokenSecrets();
}
