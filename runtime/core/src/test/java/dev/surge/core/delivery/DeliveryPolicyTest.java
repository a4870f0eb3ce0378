package dev.surge.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.delivery.DeliveryPolicy.Decision;
import dev.surge.core.delivery.DeliveryPolicy.Outcome;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeliveryPolicyTest {
    /** retry 3, exponential from 100 ms, capped at 1 s. */
    static final DeliverySpec EXP = new DeliverySpec(3, BackoffPolicy.EXPONENTIAL, Duration.ofMillis(100),
            Duration.ofSeconds(1), Duration.ofSeconds(5), null, Ordering.UNORDERED, 10);
    /** retry 5, linear from 300 ms, capped at 1 s. */
    static final DeliverySpec LIN = new DeliverySpec(5, BackoffPolicy.LINEAR, Duration.ofMillis(300),
            Duration.ofSeconds(1), Duration.ofSeconds(5), null, Ordering.UNORDERED, 10);

    static Decision retry(long ms) {
        return new Decision.Retry(Duration.ofMillis(ms));
    }

    static Decision dead(String reason) {
        return new Decision.DeadLetter(reason);
    }

    static Outcome status(int s) {
        return new Outcome.Answered(s);
    }

    static Outcome retryAfter(int s, long ms) {
        return new Outcome.Answered(s, Optional.of(Duration.ofMillis(ms)));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // policy, outcome, attempts made, decision
                Arguments.of(EXP, status(200), 1, new Decision.Done()),
                Arguments.of(EXP, status(202), 4, new Decision.Done()),
                Arguments.of(EXP, status(204), 1, new Decision.Done()),
                Arguments.of(EXP, status(500), 1, retry(100)),
                Arguments.of(EXP, status(502), 2, retry(200)),
                Arguments.of(EXP, status(503), 3, retry(400)),
                Arguments.of(EXP, status(500), 4, dead("status 500 after 4 attempts")),
                Arguments.of(EXP, status(404), 1, retry(100)),
                Arguments.of(EXP, status(408), 1, retry(100)),
                Arguments.of(EXP, status(409), 2, retry(200)),
                Arguments.of(EXP, status(429), 1, retry(100)),
                Arguments.of(EXP, retryAfter(429, 700), 1, retry(700)),
                Arguments.of(EXP, retryAfter(503, 5_000), 1, retry(1_000)),   // Retry-After bounded by the cap
                Arguments.of(EXP, retryAfter(500, 700), 1, retry(100)),       // Retry-After only on 429 and 503
                Arguments.of(EXP, status(400), 1, dead("status 400, not retryable")),
                Arguments.of(EXP, status(401), 1, dead("status 401, not retryable")),
                Arguments.of(EXP, status(403), 2, dead("status 403, not retryable")),
                Arguments.of(EXP, status(410), 1, dead("status 410, not retryable")),
                Arguments.of(EXP, status(413), 1, dead("status 413, not retryable")),
                Arguments.of(EXP, status(422), 1, dead("status 422, not retryable")),
                Arguments.of(EXP, status(302), 1, dead("status 302, not retryable")),
                Arguments.of(EXP, new Outcome.TimedOut(), 1, retry(100)),
                Arguments.of(EXP, new Outcome.TimedOut(), 4, dead("timed out after 4 attempts")),
                Arguments.of(EXP, new Outcome.Unreachable("connection refused"), 3, retry(400)),
                Arguments.of(EXP, new Outcome.Failed("sender threw IllegalStateException: closed"), 1, retry(100)),
                Arguments.of(EXP, new Outcome.Failed("boom"), 4, dead("failed (boom) after 4 attempts")),
                Arguments.of(EXP, new Outcome.Unencodable("datacontenttype holds U+000B"), 1,
                        dead("cannot be encoded for HTTP (datacontenttype holds U+000B), not retryable")),
                Arguments.of(LIN, status(500), 1, retry(300)),
                Arguments.of(LIN, status(500), 2, retry(600)),
                Arguments.of(LIN, status(500), 3, retry(900)),
                Arguments.of(LIN, status(500), 4, retry(1_000)),              // capped
                Arguments.of(LIN, status(500), 6, dead("status 500 after 6 attempts")),
                Arguments.of(new DeliverySpec(0, BackoffPolicy.LINEAR, Duration.ofMillis(1), Duration.ofMillis(1),
                        Duration.ofSeconds(1), null, Ordering.ORDERED, 1), status(500), 1,
                        dead("status 500 after 1 attempt")));
    }

    @ParameterizedTest(name = "{1} after {2} → {3}")
    @MethodSource("table")
    void decidesByStatusAttemptAndPolicy(DeliverySpec spec, Outcome outcome, int attempts, Decision expected) {
        assertThat(new DeliveryPolicy(spec).decide(outcome, attempts)).isEqualTo(expected);
    }

    @Test
    void exponentialBackoffNeverOverflowsPastTheCap() {
        assertThat(new DeliveryPolicy(EXP).backoff(80)).isEqualTo(Duration.ofSeconds(1));
    }
}
