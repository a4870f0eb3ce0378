package dev.surge.runtime.dispatch;

import java.net.URI;
import java.util.Optional;

/** Where a function can be reached now; empty while it has no ready replica. */
@FunctionalInterface
public interface FunctionEndpoints {
    Optional<URI> endpoint(String namespace, String function);
}
