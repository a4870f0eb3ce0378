package dev.surge.runtime.auth;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;

/**
 * The public keys of one {@code jwksUri}, fetched without blocking the caller (the ingress checks tokens on the
 * event loop, where jose4j's own {@code HttpsJwks}, which fetches synchronously, would stall every request).
 *
 * <ul>
 * <li>{@link #current()} answers the keys it has; once they are older than {@code maxAge} it fetches them again
 * in the background (so keys the issuer removed stop counting within about that time).</li>
 * <li>{@link #fetchedSince(long)} answers keys fetched after a moment: a token whose {@code kid} is unknown waits
 * for it, so a key the issuer just added counts at once, without a restart.</li>
 * <li>Fetches start at least {@code minInterval} apart, so tokens with made-up key ids cannot make Surge
 * hammer the issuer; such a request waits for the next fetch instead of being refused early.</li>
 * <li>A failed fetch keeps the keys fetched before (callers fall back to them).</li>
 * </ul>
 */
final class JwksKeys {
    private static final Logger LOG = Logger.getLogger(JwksKeys.class);

    /** The keys, and when the fetch that got them started ({@link System#nanoTime()}). */
    record KeySet(List<JsonWebKey> keys, long fetchStarted) {
        boolean has(String kid) {
            return JwtVerifier.hasKey(keys, kid);
        }
    }

    private final URI uri;
    private final Function<URI, CompletableFuture<String>> fetch;
    private final ScheduledExecutorService timer;
    private final long maxAgeNanos;
    private final long minIntervalNanos;

    private KeySet latest;
    private CompletableFuture<KeySet> next;
    private long nextStart;
    private long lastStart;
    private boolean started;
    private boolean failing;

    /** @param fetch GETs a URL and answers its body (a JWKS), failing on anything but a 200 */
    JwksKeys(URI uri, Function<URI, CompletableFuture<String>> fetch, ScheduledExecutorService timer,
            java.time.Duration maxAge, java.time.Duration minInterval) {
        this.uri = uri;
        this.fetch = fetch;
        this.timer = timer;
        this.maxAgeNanos = maxAge.toNanos();
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** The keys it has (fetching them first when it has none yet); fails only when it never got any. */
    synchronized CompletableFuture<KeySet> current() {
        long now = System.nanoTime();
        if (latest == null) {
            return next != null ? next : fetchedSince(now);
        }
        if (now - latest.fetchStarted() > maxAgeNanos) {
            fetchedSince(now);
        }
        return CompletableFuture.completedFuture(latest);
    }

    /** Keys from a fetch that started at {@code since} ({@link System#nanoTime()}) or later. */
    synchronized CompletableFuture<KeySet> fetchedSince(long since) {
        if (latest != null && latest.fetchStarted() - since >= 0) {
            return CompletableFuture.completedFuture(latest);
        }
        if (next != null && nextStart - since >= 0) {
            return next;
        }
        long now = System.nanoTime();
        long start = started && lastStart + minIntervalNanos - now > 0 ? lastStart + minIntervalNanos : now;
        CompletableFuture<KeySet> result = new CompletableFuture<>();
        next = result;
        nextStart = start;
        lastStart = start;
        started = true;
        timer.schedule(() -> run(result, start), start - now, TimeUnit.NANOSECONDS);
        return result;
    }

    private void run(CompletableFuture<KeySet> result, long start) {
        CompletableFuture<String> body;
        try {
            body = fetch.apply(uri);
        } catch (RuntimeException e) {
            body = CompletableFuture.failedFuture(e);
        }
        body.whenComplete((json, error) -> {
            KeySet set = null;
            Throwable failure = error;
            if (error == null) {
                try {
                    set = new KeySet(List.copyOf(new JsonWebKeySet(json).getJsonWebKeys()), start);
                } catch (Exception e) {
                    failure = e;
                }
            }
            synchronized (this) {
                if (set != null && (latest == null || start - latest.fetchStarted() > 0)) {
                    latest = set;
                }
                if (next == result) {
                    next = null;
                }
                if (set == null && !failing) {
                    LOG.warnf("the signing keys of %s could not be fetched (%s); tokens are checked against the keys"
                            + " fetched before, if any, until a fetch succeeds", uri, reason(failure));
                } else if (set != null && failing) {
                    LOG.infof("the signing keys of %s were fetched again (%d keys)", uri, set.keys().size());
                }
                failing = set == null;
            }
            if (set != null) {
                result.complete(set);
            } else {
                result.completeExceptionally(failure);
            }
        });
    }

    private static String reason(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
