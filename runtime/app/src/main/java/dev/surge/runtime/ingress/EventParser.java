package dev.surge.runtime.ingress;

import dev.surge.runtime.http.HttpProblem;

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
import java.util.List;
import java.util.Locale;

/**
 * Turns an HTTP request into CloudEvents: binary mode (attributes in {@code ce-} headers), structured mode
 * ({@code application/cloudevents+json}) and batched mode ({@code application/cloudevents-batch+json}).
 * Either every event of the request is valid or the request is refused as a whole, so a batch is never
 * half written.
 */
public final class EventParser {
    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";
    private static final String[] REQUIRED = {"id", "source", "type"};

    private final ObjectMapper json = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());

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
        String specversion = headers.get("ce-specversion");
        if (specversion == null) {
            throw HttpProblem.invalid("specversion", "missing required attribute 'specversion': binary mode needs"
                    + " a ce-specversion header; structured mode needs Content-Type " + STRUCTURED);
        }
        checkSpecVersion(specversion);
        for (String name : REQUIRED) {
            String value = headers.get("ce-" + name);
            if (value == null || value.isEmpty()) {
                throw HttpProblem.invalid(name, "missing required attribute '" + name + "' (header ce-" + name + ")");
            }
        }
        try {
            return VertxMessageFactory.createReader(headers, body).toEvent();
        } catch (CloudEventRWException | IllegalStateException | IllegalArgumentException e) {
            throw HttpProblem.invalid(null, "cannot read the event: " + e.getMessage());
        }
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
            // A JSON 'data' member implies application/json (CloudEvents JSON format, 3.1); say so
            // explicitly, because the Kafka record and the delivery carry data as bytes.
            if (node.has("data") && !node.has("datacontenttype") && !node.get("data").isTextual()) {
                ((ObjectNode) node).put("datacontenttype", "application/json");
            }
            return json.treeToValue(node, CloudEvent.class);
        } catch (HttpProblem e) {
            throw index == null ? e : e.inBatch(index);
        } catch (JsonProcessingException | CloudEventRWException | IllegalStateException | IllegalArgumentException e) {
            HttpProblem invalid = HttpProblem.invalid(null, "cannot read the event: " + rootMessage(e));
            throw index == null ? invalid : invalid.inBatch(index);
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
