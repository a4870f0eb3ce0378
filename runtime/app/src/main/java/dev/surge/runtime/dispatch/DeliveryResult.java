package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.Optional;

/**
 * The answer of a target to one delivery.
 *
 * @param status     HTTP status
 * @param reply      the CloudEvent carried by a 2xx answer, or null
 * @param bodyStart  the first bytes of the answer's body, for logs and dead letters
 * @param retryAfter the answer's {@code Retry-After}, when it had one
 * @param invalidReply why a 2xx answer's reply event was refused (the ingress's rules), or null
 */
public record DeliveryResult(int status, CloudEvent reply, byte[] bodyStart, Optional<Duration> retryAfter,
        String invalidReply) {
    public DeliveryResult(int status, CloudEvent reply, byte[] bodyStart, Optional<Duration> retryAfter) {
        this(status, reply, bodyStart, retryAfter, null);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
