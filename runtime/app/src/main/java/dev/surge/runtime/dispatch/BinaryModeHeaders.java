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
import java.nio.charset.StandardCharsets;

/**
 * An event in the CloudEvents HTTP binding's binary mode: its attributes as {@code ce-} headers,
 * {@code datacontenttype} as {@code Content-Type}, its data as the body. Filled by the SDK's
 * {@link MessageWriter#writeBinary}, for a plain Vert.x HTTP client request (the SDK writes only to the
 * heavier web client).
 *
 * <p>{@code ce-} header values are percent-encoded as the binding requires (3.1.3.2): space, {@code "},
 * {@code %} and every character outside printable ASCII become {@code %XX} of their UTF-8 bytes, so any
 * String attribute value travels. What still cannot be a header (a {@code Content-Type} or an extension
 * name with a control character) fails with {@link EventEncodingException}.
 */
final class BinaryModeHeaders implements MessageWriter<CloudEventWriter<BinaryModeHeaders>, BinaryModeHeaders>,
        CloudEventWriter<BinaryModeHeaders> {
    private static final Buffer EMPTY = Buffer.buffer(0);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    final MultiMap headers = HttpHeaders.headers();
    Buffer body = EMPTY;

    /** @throws EventEncodingException when the event cannot be written as HTTP headers */
    static BinaryModeHeaders of(CloudEvent event) {
        try {
            return new BinaryModeHeaders().writeBinary(event);
        } catch (IllegalArgumentException | CloudEventRWException e) {
            // Vert.x validates header names and values; the SDK refuses what it cannot write.
            throw new EventEncodingException("event " + event.getId() + " cannot be written in HTTP binary mode: "
                    + e.getMessage(), e);
        }
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
            headers.add("ce-" + name, percentEncode(value));
        }
        return this;
    }

    /** The binding's percent-encoding of a {@code ce-} header value (CloudEvents HTTP binding, 3.1.3.2). */
    static String percentEncode(String value) {
        int i = 0;
        while (i < value.length() && printable(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return value; // the common case: nothing to encode, no copy
        }
        StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, i);
        for (byte b : value.substring(i).getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && printable((char) c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean printable(char c) {
        return c > 0x20 && c < 0x7f && c != '"' && c != '%';
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
