package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;

/**
 * The answer of a target to one delivery.
 *
 * @param status    HTTP status
 * @param reply     the CloudEvent carried by a 2xx answer, or null
 * @param bodyStart the first characters of the answer's body, for errors and dead letters
 */
public record DeliveryResult(int status, CloudEvent reply, String bodyStart) {
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
