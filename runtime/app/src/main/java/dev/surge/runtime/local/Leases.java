package dev.surge.runtime.local;

import dev.surge.runtime.dispatch.FunctionEndpoints;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which replica gets the next delivery: the least busy ready one below the function's {@code concurrency}.
 * The slot is taken by {@link Replica#tryLease}, atomically with the replica's state, so a replica being
 * retired or restarted never gets one.
 */
final class Leases {
    private Leases() {
    }

    static Optional<FunctionEndpoints.Lease> acquire(List<Replica> replicas, int concurrency) {
        List<Replica> byLoad = replicas.stream().filter(Replica::serving)
                .sorted(Comparator.comparingInt(Replica::inFlight)).toList();
        for (Replica r : byLoad) {
            Optional<URI> uri = r.tryLease(concurrency);
            if (uri.isPresent()) {
                return Optional.of(new Lease(r, uri.get()));
            }
        }
        return Optional.empty();
    }

    private static final class Lease implements FunctionEndpoints.Lease {
        private final Replica replica;
        private final URI uri;
        private boolean released;

        Lease(Replica replica, URI uri) {
            this.replica = replica;
            this.uri = uri;
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public synchronized void release() {
            if (!released) { // a second release must not free a slot someone else holds
                released = true;
                replica.release();
            }
        }
    }
}
