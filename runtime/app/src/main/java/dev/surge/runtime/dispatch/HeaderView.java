package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.types.Time;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A CloudEvent as a trigger's filter sees it: a lazy view over a Kafka record's binary-mode headers
 * ({@code ce_<attribute>}, {@code content-type}), without its data. An attribute is decoded only when the
 * filter asks for it, so an event the filter passes over costs one or two header reads. Used by one thread.
 */
final class HeaderView implements CloudEvent {
    private static final String PREFIX = "ce_";
    private static final byte[] STRUCTURED = "application/cloudevents".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> ATTRIBUTES = Set.of("specversion", "id", "source", "type", "datacontenttype",
            "dataschema", "subject", "time");

    private final Headers headers;

    private HeaderView(Headers headers) {
        this.headers = headers;
    }

    /**
     * The view of a binary-mode record, or null when the record is in structured mode or lacks a required
     * attribute: then only the full reader can tell what it is.
     */
    static HeaderView of(Headers headers) {
        if (structured(headers) || headers.lastHeader("ce_specversion") == null || headers.lastHeader("ce_id") == null
                || headers.lastHeader("ce_source") == null || headers.lastHeader("ce_type") == null) {
            return null;
        }
        return new HeaderView(headers);
    }

    private static boolean structured(Headers headers) {
        Header contentType = headers.lastHeader("content-type");
        if (contentType == null || contentType.value() == null || contentType.value().length < STRUCTURED.length) {
            return false;
        }
        byte[] v = contentType.value();
        for (int i = 0; i < STRUCTURED.length; i++) {
            if (v[i] != STRUCTURED[i]) {
                return false;
            }
        }
        return true;
    }

    private String header(String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public SpecVersion getSpecVersion() {
        return SpecVersion.parse(header("ce_specversion"));
    }

    @Override
    public String getId() {
        return header("ce_id");
    }

    @Override
    public String getType() {
        return header("ce_type");
    }

    @Override
    public URI getSource() {
        String s = header("ce_source");
        return s == null ? null : URI.create(s);
    }

    @Override
    public String getDataContentType() {
        return header("content-type");
    }

    @Override
    public URI getDataSchema() {
        String s = header("ce_dataschema");
        return s == null ? null : URI.create(s);
    }

    @Override
    public String getSubject() {
        return header("ce_subject");
    }

    @Override
    public OffsetDateTime getTime() {
        String s = header("ce_time");
        return s == null ? null : Time.parseTime(s);
    }

    @Override
    public Object getAttribute(String name) {
        return switch (name) {
            case "specversion" -> getSpecVersion();
            case "id" -> getId();
            case "source" -> getSource();
            case "type" -> getType();
            case "datacontenttype" -> getDataContentType();
            case "dataschema" -> getDataSchema();
            case "subject" -> getSubject();
            case "time" -> getTime();
            default -> throw new IllegalArgumentException("not a context attribute: " + name);
        };
    }

    @Override
    public Object getExtension(String name) {
        return ATTRIBUTES.contains(name) ? null : header(PREFIX + name);
    }

    @Override
    public Set<String> getExtensionNames() {
        Set<String> names = new HashSet<>();
        for (Header h : headers) {
            if (h.key().startsWith(PREFIX)) {
                String name = h.key().substring(PREFIX.length());
                if (!ATTRIBUTES.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Never read for filtering. */
    @Override
    public CloudEventData getData() {
        return null;
    }
}
