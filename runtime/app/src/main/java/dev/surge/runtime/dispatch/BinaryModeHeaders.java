package dev.surge.runtime.dispatch;

import dev.surge.runtime.http.HttpBinaryHeaders;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * An event as the dispatcher sends it, in the CloudEvents HTTP binding's binary mode: its attributes as
 * percent-encoded {@code ce-} headers and {@code datacontenttype} as {@code Content-Type}
 * ({@link HttpBinaryHeaders}, the same encoding the ingress checks every accepted event against), its data as
 * the body. What still cannot be a header (a {@code Content-Type} or an extension name with a control
 * character) fails with {@link EventEncodingException}.
 */
final class BinaryModeHeaders {
    private static final Buffer EMPTY = Buffer.buffer(0);
    final MultiMap headers;
    final Buffer body;

    private BinaryModeHeaders(MultiMap headers, Buffer body) {
        this.headers = headers;
        this.body = body;
    }

    /** @throws EventEncodingException when the event cannot be written as HTTP headers */
    static BinaryModeHeaders of(CloudEvent event) {
        try {
            CloudEventData data = event.getData();
            return new BinaryModeHeaders(HttpBinaryHeaders.of(event), data == null ? EMPTY : Buffer.buffer(data.toBytes()));
        } catch (IllegalArgumentException | CloudEventRWException e) {
            // Vert.x validates header names and values; the SDK refuses what it cannot write.
            throw new EventEncodingException("event " + event.getId() + " cannot be written in HTTP binary mode: "
                    + e.getMessage(), e);
        }
    }
}
