package dev.surge.runtime.http;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The headers of an event in the CloudEvents HTTP binding's binary mode: attributes as {@code ce-} headers with
 * percent-encoded values, {@code datacontenttype} as {@code Content-Type}. They go into a Vert.x header map that
 * validates every value as a client request would, so an event that cannot be sent over HTTP fails here.
 */
public final class HttpBinaryHeaders implements MessageWriter<CloudEventWriter<MultiMap>, MultiMap>,
        CloudEventWriter<MultiMap> {
    private final MultiMap headers = HttpHeaders.headers();

    private HttpBinaryHeaders() {
    }

    /**
     * @throws IllegalArgumentException when a value is not a valid HTTP header value (it never is after
     *                                  percent-encoding; a Content-Type with a control character is)
     */
    public static MultiMap of(CloudEvent event) {
        return new HttpBinaryHeaders().writeBinary(event);
    }

    /**
     * Bytes the event's attributes take as binary-mode headers, exactly {@code size(of(event))}, without building
     * the headers: the ingress counts every event it accepts.
     *
     * @throws IllegalArgumentException when an attribute could not be an HTTP header, as {@link #of} would
     */
    public static int size(CloudEvent event) {
        return new Size().writeBinary(event);
    }

    /** Bytes the headers take on the wire: {@code name: value} and CRLF for each. */
    public static int size(MultiMap headers) {
        int size = 0;
        for (var header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        return size;
    }

    @Override
    public CloudEventWriter<MultiMap> create(SpecVersion version) {
        headers.add("ce-specversion", version.toString());
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, String value) throws CloudEventRWException {
        if ("datacontenttype".equals(name)) {
            // A media type is sent as it is: percent-encoding it would change its meaning for the receiver.
            headers.add(HttpHeaders.CONTENT_TYPE, value);
        } else if (!"specversion".equals(name)) {
            headers.add("ce-" + name, PercentEncoding.encode(value));
        }
        return this;
    }

    @Override
    public MultiMap end(CloudEventData data) {
        return headers;
    }

    @Override
    public MultiMap end() {
        return headers;
    }

    @Override
    public MultiMap setEvent(EventFormat format, byte[] value) {
        throw new UnsupportedOperationException("binary mode only");
    }

    /** Counts what {@link HttpBinaryHeaders} would write, checking what a header map would check. */
    private static final class Size implements MessageWriter<CloudEventWriter<Integer>, Integer>, CloudEventWriter<Integer> {
        private int size;

        @Override
        public CloudEventWriter<Integer> create(SpecVersion version) {
            size += "ce-specversion".length() + version.toString().length() + 4;
            return this;
        }

        @Override
        public CloudEventContextWriter withContextAttribute(String name, String value) {
            if ("datacontenttype".equals(name)) {
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c != '\t' && (c < ' ' || c > '~')) {
                        throw new IllegalArgumentException("a Content-Type with character U+"
                                + String.format("%04X", (int) c) + " cannot be an HTTP header value");
                    }
                }
                size += "Content-Type".length() + value.length() + 4;
            } else if (!"specversion".equals(name)) {
                for (int i = 0; i < name.length(); i++) {
                    char c = name.charAt(i);
                    if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                        throw new IllegalArgumentException("attribute name '" + name + "' cannot be an HTTP header name");
                    }
                }
                size += 3 + name.length() + PercentEncoding.encodedLength(value) + 4;
            }
            return this;
        }

        @Override
        public Integer end(CloudEventData data) {
            return size;
        }

        @Override
        public Integer end() {
            return size;
        }

        @Override
        public Integer setEvent(EventFormat format, byte[] value) {
            throw new UnsupportedOperationException("binary mode only");
        }
    }
}
