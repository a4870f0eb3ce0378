package dev.surge.runtime.ingress;

import dev.surge.runtime.http.HttpBinaryHeaders;
import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.PercentEncoding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Iterator;
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

    private final ObjectMapper json = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());
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
            return List.of(structured(tree(body), null));
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
        JsonNode tree = tree(body);
        if (!tree.isArray()) {
            throw new HttpProblem(400, "Invalid batch", "a batch must be a JSON array of structured CloudEvents");
        }
        if (tree.isEmpty()) {
            throw new HttpProblem(400, "Invalid batch", "the batch contains no event");
        }
        List<CloudEvent> events = new ArrayList<>(tree.size());
        for (int i = 0; i < tree.size(); i++) {
            events.add(structured(tree.get(i), i));
        }
        return events;
    }

    private CloudEvent structured(JsonNode node, Integer index) {
        try {
            if (!node.isObject()) {
                throw HttpProblem.invalid(null, "a structured CloudEvent must be a JSON object");
            }
            JsonNode specversion = node.get("specversion");
            if (specversion == null || specversion.isNull()) {
                throw HttpProblem.invalid("specversion", "missing required attribute 'specversion'");
            }
            if (!specversion.isTextual()) {
                throw HttpProblem.invalid("specversion", "attribute 'specversion' must be a string");
            }
            checkSpecVersion(specversion.asText());
            for (String name : REQUIRED) {
                JsonNode value = node.get(name);
                if (value == null || value.isNull()) {
                    throw HttpProblem.invalid(name, "missing required attribute '" + name + "'");
                }
                if (!value.isTextual() || value.asText().isEmpty()) {
                    throw HttpProblem.invalid(name, "attribute '" + name + "' must be a non-empty string");
                }
            }
            checkMembers((ObjectNode) node);
            // A JSON 'data' member implies application/json (CloudEvents JSON format, 3.1); say so
            // explicitly, because the Kafka record and the delivery carry data as bytes.
            if (node.has("data") && !node.has("datacontenttype") && !node.get("data").isTextual()) {
                ((ObjectNode) node).put("datacontenttype", "application/json");
            }
            CloudEvent event = json.treeToValue(node, CloudEvent.class);
            checkDeliverable(event, 400);
            return event;
        } catch (HttpProblem e) {
            throw index == null ? e : e.inBatch(index);
        } catch (JsonProcessingException | CloudEventRWException | IllegalStateException | IllegalArgumentException e) {
            HttpProblem invalid = HttpProblem.invalid(null, "cannot read the event: " + rootMessage(e));
            throw index == null ? invalid : invalid.inBatch(index);
        }
    }

    /**
     * The JSON format's mapping of the type system (JSON format 1.0.2, 2.2): String, URI, URI-reference,
     * Timestamp and Binary are JSON strings, Boolean a JSON boolean, Integer a JSON number without fraction or
     * exponent in the 32-bit range. Objects, arrays and other numbers have no CloudEvents type. A member
     * whose value is null is absent, as the JSON format maps null.
     */
    private void checkMembers(ObjectNode node) {
        if (node.has("data") && node.has("data_base64")) {
            throw HttpProblem.invalid("data_base64", "an event has 'data' or 'data_base64', not both");
        }
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> members = node.fields(); members.hasNext(); ) {
            Map.Entry<String, JsonNode> member = members.next();
            String name = member.getKey();
            JsonNode value = member.getValue();
            if (name.equals("data")) {
                continue;
            }
            if (name.equals("data_base64")) {
                if (!value.isTextual() && !value.isNull()) {
                    throw HttpProblem.invalid(name, "'data_base64' must be a string of base64");
                }
                continue;
            }
            AttributeRules.checkName(name);
            if (value.isNull()) {
                members.remove();
                continue;
            }
            count++;
            if (value.isTextual()) {
                rules.checkValue(name, value.textValue());
            } else if (CONTEXT_ATTRIBUTES.contains(name)) {
                throw HttpProblem.invalid(name, "attribute '" + name + "' must be a string, not " + kind(value));
            } else if (value.isNumber()) {
                if (!value.isIntegralNumber()) {
                    throw HttpProblem.invalid(name, "attribute '" + name + "' is a number with a fraction or"
                            + " exponent; CloudEvents Integers are whole numbers (send a string for other numbers)");
                }
                if (!value.canConvertToInt()) {
                    throw HttpProblem.invalid(name, "attribute '" + name + "' is out of the Integer range"
                            + " (32-bit signed; send a string for larger numbers)");
                }
            } else if (!value.isBoolean()) {
                throw HttpProblem.invalid(name, "attribute '" + name + "' is " + kind(value)
                        + "; CloudEvents attribute values are strings, booleans or integers");
            }
        }
        rules.checkCount(count);
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT, POJO -> "a JSON object";
            case ARRAY -> "a JSON array";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
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

    private JsonNode tree(Buffer body) {
        if (body == null || body.length() == 0) {
            throw new HttpProblem(400, "Malformed JSON", "the request body is empty");
        }
        try {
            return json.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new HttpProblem(400, "Malformed JSON", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new HttpProblem(400, "Malformed JSON", e.getMessage());
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
