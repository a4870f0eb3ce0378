package dev.surge.runtime.ingress;

import dev.surge.runtime.http.HttpBinaryHeaders;
import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.PercentEncoding;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.runtime.ingress.JsonMembers.JsonObject;
import dev.surge.runtime.ingress.JsonMembers.Kind;
import dev.surge.runtime.ingress.JsonMembers.Member;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an HTTP request into CloudEvents: binary mode (attributes in {@code ce-} headers), structured mode
 * ({@code application/cloudevents+json}) and batched mode ({@code application/cloudevents-batch+json}).
 * Either every event of the request is valid or the request is refused as a whole, so a batch is never
 * half written.
 *
 * <p>Whatever it accepts obeys the CloudEvents type system ({@link AttributeRules}) and the {@link EventLimits},
 * and can be written as HTTP binary-mode headers: so an event accepted here can always be delivered.
 */
public final class EventParser {
    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";
    private static final String[] REQUIRED = {"id", "source", "type"};
    /** The spec's own attributes, all of which are strings (or string-encoded URIs and timestamps) in JSON. */
    private static final Set<String> CONTEXT_ATTRIBUTES = Set.of("specversion", "id", "source", "type",
            "datacontenttype", "dataschema", "subject", "time");

    private final ObjectMapper legacyJson = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());
    private final AttributeRules rules;

    public EventParser(EventLimits limits) {
        this.rules = new AttributeRules(limits);
    }

    public List<CloudEvent> parse(MultiMap headers, Buffer body) {
        String mediaType = mediaType(headers.get("Content-Type"));
        if (mediaType.startsWith("application/cloudevents-batch")) {
            if (!mediaType.equals(BATCH)) {
                throw unsupported(mediaType);
            }
            return batch(body);
        }
        if (mediaType.startsWith("application/cloudevents")) {
            if (!mediaType.equals(STRUCTURED)) {
                throw unsupported(mediaType);
            }
            return List.of(structured(body));
        }
        return List.of(binary(headers, body));
    }

    private CloudEvent binary(MultiMap headers, Buffer body) {
        int received = 0;
        for (Map.Entry<String, String> header : headers) {
            if (isCloudEventsHeader(header.getKey())) {
                received += header.getKey().length() + header.getValue().length() + 4;
            }
        }
        if (received > rules.limits().maxHeaderBytes()) {
            throw new HttpProblem(431, "Request Header Fields Too Large", "the ce- headers take " + received
                    + " bytes, more than the " + rules.limits().maxHeaderBytes() + " allowed (surge.ingress.max-header-bytes)");
        }
        if (headers.get("ce-specversion") == null) {
            throw HttpProblem.invalid("specversion", "missing required attribute 'specversion': binary mode needs"
                    + " a ce-specversion header; structured mode needs Content-Type " + STRUCTURED);
        }
        checkSpecVersion(headers.get("ce-specversion"));
        for (String name : REQUIRED) {
            String value = headers.get("ce-" + name);
            if (value == null || value.isEmpty()) {
                throw HttpProblem.invalid(name, "missing required attribute '" + name + "' (header ce-" + name + ")");
            }
        }
        // The SDK reads header values as they are; the HTTP binding says they are percent-encoded.
        MultiMap decoded = MultiMap.caseInsensitiveMultiMap();
        int count = 0;
        for (Map.Entry<String, String> header : headers) {
            if (!isCloudEventsHeader(header.getKey())) {
                continue;
            }
            String name = header.getKey().substring(3).toLowerCase(Locale.ROOT);
            AttributeRules.checkName(name);
            if (decoded.contains("ce-" + name)) {
                throw HttpProblem.invalid(name, "attribute '" + name + "' is given twice (header ce-" + name + ")");
            }
            String value;
            try {
                value = PercentEncoding.decode(header.getValue());
            } catch (IllegalArgumentException e) {
                throw HttpProblem.invalid(name, "header ce-" + name + " " + e.getMessage()
                        + " (CloudEvents HTTP binding 3.1.3.2)");
            }
            rules.checkValue(name, value);
            decoded.add("ce-" + name, value);
            count++;
        }
        String contentType = headers.get("Content-Type");
        if (contentType != null) {
            rules.checkValue("datacontenttype", contentType);
            decoded.add("Content-Type", contentType);
            count++;
        }
        rules.checkCount(count);
        CloudEvent event;
        try {
            event = VertxMessageFactory.createReader(decoded, body).toEvent();
        } catch (CloudEventRWException | IllegalStateException | IllegalArgumentException e) {
            throw HttpProblem.invalid(null, "cannot read the event: " + rootMessage(e));
        }
        checkDeliverable(event, 431);
        return event;
    }

    private static boolean isCloudEventsHeader(String name) {
        return name.length() > 3 && name.regionMatches(true, 0, "ce-", 0, 3);
    }

    private List<CloudEvent> batch(Buffer body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        List<JsonObject> members = JsonMembers.batch(bytes);
        List<CloudEvent> events = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            events.add(structured(members.get(i), bytes, i));
        }
        return events;
    }

    private CloudEvent structured(Buffer body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        return structured(JsonMembers.event(bytes), bytes, null);
    }

    private CloudEvent structured(JsonObject object, byte[] body, Integer index) {
        try {
            if (object == null) {
                throw HttpProblem.invalid(null, "a structured CloudEvent must be a JSON object");
            }
            List<Member> members = object.members();
            Map<String, Member> byName = byName(members);
            Member specversion = byName.get("specversion");
            if (specversion == null || specversion.kind() == Kind.NULL) {
                throw HttpProblem.invalid("specversion", "missing required attribute 'specversion'");
            }
            if (specversion.kind() != Kind.STRING) {
                throw HttpProblem.invalid("specversion", "attribute 'specversion' must be a string");
            }
            checkSpecVersion(specversion.text());
            for (String name : REQUIRED) {
                Member value = byName.get(name);
                if (value == null || value.kind() == Kind.NULL) {
                    throw HttpProblem.invalid(name, "missing required attribute '" + name + "'");
                }
                if (value.kind() != Kind.STRING || value.text().isEmpty()) {
                    throw HttpProblem.invalid(name, "attribute '" + name + "' must be a non-empty string");
                }
            }
            checkMembers(members, byName);
            CloudEvent event = SpecVersion.V1.toString().equals(specversion.text()) ? toEvent(members, byName, body)
                    : legacy(object, body);
            checkDeliverable(event, 400);
            return event;
        } catch (HttpProblem e) {
            throw index == null ? e : e.inBatch(index);
        } catch (CloudEventRWException | IllegalStateException | IllegalArgumentException | IOException e) {
            HttpProblem invalid = HttpProblem.invalid(null, "cannot read the event: " + rootMessage(e));
            throw index == null ? invalid : invalid.inBatch(index);
        }
    }

    /**
     * An event of an earlier spec version (0.3: {@code schemaurl}, {@code datacontentencoding}), already checked
     * member by member, read by the SDK's JSON format as before: rare enough that its speed does not matter.
     */
    private CloudEvent legacy(JsonObject object, byte[] body) throws IOException {
        ObjectNode node = (ObjectNode) legacyJson.readTree(body, object.start(), object.end() - object.start());
        node.properties().removeIf(m -> m.getValue().isNull() && !m.getKey().equals("data")
                && !m.getKey().equals("data_base64"));
        if (node.has("data") && !node.has("datacontenttype") && !node.get("data").isTextual()) {
            node.put("datacontenttype", "application/json");
        }
        return legacyJson.treeToValue(node, CloudEvent.class);
    }

    /** The members by name; a name given twice is refused (the JSON format leaves it open, binary mode refuses it). */
    private static Map<String, Member> byName(List<Member> members) {
        Map<String, Member> byName = new HashMap<>(members.size() * 2);
        for (Member member : members) {
            if (byName.put(member.name(), member) != null) {
                throw HttpProblem.invalid(member.name(), "member '" + AttributeRules.printable(member.name())
                        + "' is given twice");
            }
        }
        return byName;
    }

    /**
     * The JSON format's mapping of the type system (JSON format 1.0.2, 2.2): String, URI, URI-reference,
     * Timestamp and Binary are JSON strings, Boolean a JSON boolean, Integer a JSON number without fraction or
     * exponent in the 32-bit range. Objects, arrays and other numbers have no CloudEvents type. A member
     * whose value is null is absent, as the JSON format maps null.
     */
    private void checkMembers(List<Member> members, Map<String, Member> byName) {
        if (byName.containsKey("data") && byName.containsKey("data_base64")) {
            throw HttpProblem.invalid("data_base64", "an event has 'data' or 'data_base64', not both");
        }
        int count = 0;
        for (Member member : members) {
            String name = member.name();
            if (name.equals("data")) {
                continue;
            }
            if (name.equals("data_base64")) {
                if (member.kind() != Kind.STRING && member.kind() != Kind.NULL) {
                    throw HttpProblem.invalid(name, "'data_base64' must be a string of base64");
                }
                continue;
            }
            AttributeRules.checkName(name);
            if (member.kind() == Kind.NULL) {
                continue;
            }
            count++;
            if (member.kind() == Kind.STRING) {
                rules.checkValue(name, member.text());
            } else if (CONTEXT_ATTRIBUTES.contains(name)) {
                throw HttpProblem.invalid(name, "attribute '" + name + "' must be a string, not "
                        + member.kind().described());
            } else {
                switch (member.kind()) {
                    case INTEGER, BOOLEAN -> {
                    }
                    case FRACTION -> throw HttpProblem.invalid(name, "attribute '" + name + "' is a number with a"
                            + " fraction or exponent; CloudEvents Integers are whole numbers (send a string for other numbers)");
                    case OUT_OF_RANGE_INTEGER -> throw HttpProblem.invalid(name, "attribute '" + name
                            + "' is out of the Integer range (32-bit signed; send a string for larger numbers)");
                    default -> throw HttpProblem.invalid(name, "attribute '" + name + "' is " + member.kind().described()
                            + "; CloudEvents attribute values are strings, booleans or integers");
                }
            }
        }
        rules.checkCount(count);
    }

    /**
     * The checked members as an SDK event, mapped as the SDK's JSON format maps them (JSON format 3.1): a JSON
     * {@code data} value under a JSON media type (or none) is the value's bytes, a string under any other
     * media type is its UTF-8 text, {@code data_base64} is decoded. A {@code data} member without a
     * datacontenttype says {@code application/json} explicitly, because the Kafka record and the delivery carry
     * data as bytes without the JSON that says what they are (the SDK leaves it unsaid; until 2026-12 Surge
     * said it only for data that is not a string).
     */
    private static CloudEvent toEvent(List<Member> members, Map<String, Member> byName, byte[] body) {
        CloudEventBuilder event = CloudEventBuilder.v1();
        Member data = byName.get("data");
        Member base64 = byName.get("data_base64");
        String contentType = text(byName.get("datacontenttype"));
        if (data != null && contentType == null) {
            contentType = "application/json";
        }
        for (Member member : members) {
            String name = member.name();
            if (name.equals("specversion") || name.equals("data") || name.equals("data_base64")
                    || name.equals("datacontenttype")) {
                continue;
            }
            switch (member.kind()) {
                case STRING -> event.withContextAttribute(name, member.text());
                case INTEGER -> event.withContextAttribute(name, (Integer) member.scalar());
                case BOOLEAN -> event.withContextAttribute(name, (Boolean) member.scalar());
                default -> {
                    // null: absent; every other kind was refused by checkMembers
                }
            }
        }
        if (contentType != null) {
            event.withDataContentType(contentType);
        }
        if (base64 != null && base64.kind() == Kind.STRING) {
            try {
                event.withData(Base64Variants.getDefaultVariant().decode(base64.text().trim()));
            } catch (IllegalArgumentException e) {
                throw HttpProblem.invalid("data_base64", "'data_base64' is not valid base64: " + e.getMessage());
            }
        } else if (data != null) {
            if (contentType == null || isJson(contentType)) {
                event.withData(data.bytes(body));
            } else if (data.kind() == Kind.STRING) {
                event.withData(JsonMembers.text(data, body).getBytes(StandardCharsets.UTF_8));
            } else {
                throw HttpProblem.invalid("data", "'data' is " + data.kind().described() + " but datacontenttype '"
                        + contentType + "' is not JSON: send such data as a JSON string, or as data_base64");
            }
        }
        return event.build();
    }

    /**
     * Whether the JSON format carries data of this media type as a JSON value (JSON format 3.1):
     * {@code application/json}, {@code text/json}, or any {@code +json} structured suffix (RFC 6839), in any case.
     */
    static boolean isJson(String contentType) {
        String type = mediaType(contentType);
        return type.equals("application/json") || type.equals("text/json")
                || (type.endsWith("+json") && type.indexOf('/') > 0);
    }

    private static String text(Member member) {
        return member != null && member.kind() == Kind.STRING ? member.text() : null;
    }

    /** The event as its delivery will send it: every value a valid header value, the whole within the limit. */
    private void checkDeliverable(CloudEvent event, int tooLargeStatus) {
        int size;
        try {
            size = HttpBinaryHeaders.size(event);
        } catch (IllegalArgumentException | CloudEventRWException e) {
            throw HttpProblem.invalid(null, "the event cannot be sent as HTTP headers: " + rootMessage(e));
        }
        if (size > rules.limits().maxHeaderBytes()) {
            String detail = "the event's attributes take " + size + " bytes as HTTP headers, more than the "
                    + rules.limits().maxHeaderBytes() + " allowed (surge.ingress.max-header-bytes)";
            throw tooLargeStatus == 431 ? new HttpProblem(431, "Request Header Fields Too Large", detail)
                    : HttpProblem.invalid(null, detail);
        }
    }

    private static void checkSpecVersion(String value) {
        try {
            SpecVersion.parse(value);
        } catch (CloudEventRWException e) {
            throw HttpProblem.invalid("specversion", "specversion '" + value + "' is not supported; use 1.0");
        }
    }

    private static HttpProblem unsupported(String mediaType) {
        return new HttpProblem(415, "Unsupported Media Type", "'" + mediaType + "' is not supported; send "
                + STRUCTURED + ", " + BATCH + ", or binary mode with ce- headers");
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (t instanceof JsonProcessingException j) {
            message = j.getOriginalMessage();
        }
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
