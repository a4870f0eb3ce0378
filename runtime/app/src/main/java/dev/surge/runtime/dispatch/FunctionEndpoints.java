package dev.surge.runtime.dispatch;

import java.net.URI;
import java.util.Optional;

/**
 * Where a function can be reached now. Implementations are thread-safe.
 */
public interface FunctionEndpoints {

    /** For a process that runs no functions: none is ever ready. */
    FunctionEndpoints NONE = new FunctionEndpoints() {
        @Override
        public Optional<Lease> acquire(String namespace, String function) {
            return Optional.empty();
        }

        @Override
        public boolean hasReady(String namespace, String function) {
            return false;
        }

        @Override
        public void activate(String namespace, String function) {
        }
    };

    /** A delivery slot on one ready replica; {@link #release()} it when the delivery is over. */
    interface Lease {
        URI uri();

        void release();
    }

    /**
     * A slot on the least busy ready replica that is below the function's {@code concurrency}; empty while no
     * replica is ready or all are at their limit.
     */
    Optional<Lease> acquire(String namespace, String function);

    /** Whether the function has a ready replica now. */
    boolean hasReady(String namespace, String function);

    /**
     * A dispatcher has an event for the function and no ready replica to give it to: start one now rather
     * than at the next lag poll.
     */
    void activate(String namespace, String function);
}
