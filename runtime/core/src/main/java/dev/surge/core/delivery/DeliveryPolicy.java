package dev.surge.core.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * What to do after one delivery attempt: done, retry after a pause, or dead-letter. Pure: the dispatcher
 * feeds it the outcome and the number of attempts made, and acts on the decision.
 *
 * <p>Retryable: 5xx, 404, 408, 409, 429, timeouts and connection failures (as Knative). Every other status
 * below 200 or from 300 on goes to the dead-letter sink at once: sending it again would get the same answer.
 */
public final class DeliveryPolicy {
    private final DeliverySpec spec;

    public DeliveryPolicy(DeliverySpec spec) {
        this.spec = spec;
    }

    /** The outcome of one attempt: an HTTP status, or a failure without one. */
    public sealed interface Outcome {
        record Answered(int status, Optional<Duration> retryAfter) implements Outcome {
            public Answered(int status) {
                this(status, Optional.empty());
            }
        }

        record TimedOut() implements Outcome {
        }

        /** No answer: connection refused or reset, DNS failure. */
        record Unreachable(String reason) implements Outcome {
        }

        /**
         * The attempt failed inside Surge before an answer could come (the sender threw, or handling the
         * event went wrong); worth another try, as the cause may be passing.
         */
        record Failed(String reason) implements Outcome {
        }

        /**
         * The event cannot be put into an HTTP request at all (e.g. a {@code datacontenttype} that is no
         * valid header value); sending it again would fail the same way.
         */
        record Unencodable(String reason) implements Outcome {
        }

        /**
         * The target answered 2xx with a reply that is not a valid CloudEvent by the ingress's rules: the reply
         * cannot go to the broker, so the attempt failed; the function may answer well next time.
         */
        record InvalidReply(String reason) implements Outcome {
        }
    }

    public sealed interface Decision {
        record Done() implements Decision {
        }

        record Retry(Duration after) implements Decision {
        }

        record DeadLetter(String reason) implements Decision {
        }
    }

    /**
     * @param outcome  what the attempt got
     * @param attempts attempts made so far, this one included (1 after the first)
     */
    public Decision decide(Outcome outcome, int attempts) {
        if (outcome instanceof Outcome.Answered a && a.status() >= 200 && a.status() < 300) {
            return new Decision.Done();
        }
        String what = describe(outcome);
        if (!retryable(outcome)) {
            return new Decision.DeadLetter(what + ", not retryable");
        }
        if (attempts > spec.retry()) {
            return new Decision.DeadLetter(what + " after " + attempts + (attempts == 1 ? " attempt" : " attempts"));
        }
        Duration pause = backoff(attempts);
        if (outcome instanceof Outcome.Answered a && a.retryAfter().isPresent()
                && (a.status() == 429 || a.status() == 503)) {
            pause = a.retryAfter().get();
        }
        return new Decision.Retry(min(pause, spec.backoffCap()));
    }

    /** The pause before retry number {@code n} (1-based), by the policy alone. */
    public Duration backoff(int n) {
        long base = spec.backoffDelay().toMillis();
        long ms = switch (spec.backoffPolicy()) {
            case LINEAR -> base * n;
            case EXPONENTIAL -> base << Math.min(n - 1, 30);
        };
        if (ms < 0) {
            ms = Long.MAX_VALUE;
        }
        return min(Duration.ofMillis(ms), spec.backoffCap());
    }

    static boolean retryable(Outcome outcome) {
        if (outcome instanceof Outcome.Answered a) {
            int s = a.status();
            return s >= 500 || s == 404 || s == 408 || s == 409 || s == 429;
        }
        return !(outcome instanceof Outcome.Unencodable); // timed out, unreachable or failed: maybe passing
    }

    private static String describe(Outcome outcome) {
        if (outcome instanceof Outcome.Answered a) {
            return "status " + a.status();
        }
        if (outcome instanceof Outcome.Unreachable u) {
            return "unreachable (" + u.reason() + ")";
        }
        if (outcome instanceof Outcome.Failed f) {
            return "failed (" + f.reason() + ")";
        }
        if (outcome instanceof Outcome.Unencodable u) {
            return "cannot be encoded for HTTP (" + u.reason() + ")";
        }
        if (outcome instanceof Outcome.InvalidReply r) {
            return "answered with an invalid reply (" + r.reason() + ")";
        }
        return "timed out";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public DeliverySpec spec() {
        return spec;
    }
}
