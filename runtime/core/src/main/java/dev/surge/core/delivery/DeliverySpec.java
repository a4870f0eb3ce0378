package dev.surge.core.delivery;

import java.time.Duration;

/**
 * A trigger's {@code spec.delivery}. Names follow Knative's {@code DeliverySpec}; {@code backoffCap},
 * {@code ordering} and {@code maxInFlight} are Surge's.
 *
 * @param retry          retries after the first attempt (default 10)
 * @param backoffPolicy  linear or exponential (default exponential)
 * @param backoffDelay   base pause before a retry (default 200 ms)
 * @param backoffCap     longest pause before a retry, also for a target's {@code Retry-After} (default 30 s)
 * @param timeout        time allowed for one attempt (default 30 s)
 * @param deadLetterSink where undeliverable events go, or null to log, count and move on
 * @param ordering       unordered (default), ordered or keyed
 * @param maxInFlight    deliveries of this trigger in flight at once (default 100)
 */
public record DeliverySpec(int retry, BackoffPolicy backoffPolicy, Duration backoffDelay, Duration backoffCap,
        Duration timeout, DeadLetterSink deadLetterSink, Ordering ordering, int maxInFlight) {

    public static final DeliverySpec DEFAULT = new DeliverySpec(10, BackoffPolicy.EXPONENTIAL, Duration.ofMillis(200),
            Duration.ofSeconds(30), Duration.ofSeconds(30), null, Ordering.UNORDERED, 100);
}
