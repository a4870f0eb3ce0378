package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * An event in the CloudEvents HTTP binding's binary mode: its attributes as {@code ce-} headers,
 * {@code datacontenttype} as {@code Content-Type}, its data as the body. Filled by the SDK's
 * {@link MessageWriter#writeBinary}, for a plain Vert.x HTTP client request (the SDK writes only to the
 * heavier web client).
 */
final class BinaryModeHeaders implements MessageWriter<CloudEventWriter<BinaryModeHeaders>, BinaryModeHeaders>,
        CloudEventWriter<BinaryModeHeaders> {
    private static final Buffer EMPTY = Buffer.buffer(0);
    final MultiMap headers = HttpHeaders.headers();
    Buffer body = EMPTY;

    static BinaryModeHeaders of(CloudEvent event) {
        return new BinaryModeHeaders().writeBinary(event);
    }

    @Override
    public CloudEventWriter<BinaryModeHeaders> create(SpecVersion version) {
        headers.add("ce-specversion", version.toString());
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, String value) throws CloudEventRWException {
        if ("datacontenttype".equals(name)) {
            headers.add(HttpHeaders.CONTENT_TYPE, value);
        } else if (!"specversion".equals(name)) {
            headers.add("ce-" + name, value);
        }
        return this;
    }

    @Override
    public BinaryModeHeaders end(CloudEventData data) throws CloudEventRWException {
        body = Buffer.buffer(data.toBytes());
        return this;
    }

    @Override
    public BinaryModeHeaders end() {
        return this;
    }

    @Override
    public BinaryModeHeaders setEvent(EventFormat format, byte[] value) throws CloudEventRWException {
        throw new UnsupportedOperationException("Surge delivers in binary mode");
    }

}
