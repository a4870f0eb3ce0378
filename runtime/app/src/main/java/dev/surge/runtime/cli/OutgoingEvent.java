package dev.surge.runtime.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.surge.runtime.http.PercentEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One CloudEvent (spec version 1.0) as {@code surge send}'s options describe it, and its HTTP request in each
 * content mode. Pure: no I/O, every rule tested without a server.
 *
 * @param extensions  further attributes by name, in the order given ({@code -e name=value})
 * @param contentType the data's media type ({@code datacontenttype}); null when there is no data
 * @param data        the data's bytes, or null for an event without data
 */
record OutgoingEvent(String id, String source, String type, String subject, Map<String, String> extensions,
        String contentType, byte[] data) {
    static final String SPEC_VERSION = "1.0";
    static final String STRUCTURED = "application/cloudevents+json; charset=UTF-8";
    static final String BATCH = "application/cloudevents-batch+json; charset=UTF-8";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** CloudEvents 1.0: attribute names are lower-case ASCII letters and digits. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+");
    /** Attributes with an option of their own, and the structured format's members for the data. */
    private static final Map<String, String> OWN_OPTION = Map.of("specversion", "(always 1.0)", "id", "--id",
            "source", "--source", "type", "--type", "subject", "--subject", "datacontenttype", "--content-type",
            "data", "--data", "data_base64", "--data-file");

    OutgoingEvent {
        extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /**
     * The extensions of {@code -e name=value} options, in their order.
     *
     * @throws IllegalArgumentException naming the option and why: no {@code =}, a name CloudEvents does not allow,
     *                                  an attribute that has its own option, a name given twice
     */
    static Map<String, String> extensions(List<String> options) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String option : options == null ? List.<String>of() : options) {
            int eq = option.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--extension '" + option + "': write NAME=VALUE, e.g. -e region=eu");
            }
            String name = option.substring(0, eq);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--extension '" + option + "': '" + name + "' is not an attribute"
                        + " name; CloudEvents allows only lower-case letters a-z and digits 0-9");
            }
            if (OWN_OPTION.containsKey(name)) {
                throw new IllegalArgumentException("--extension '" + option + "': " + name + " is not an extension;"
                        + " use " + OWN_OPTION.get(name));
            }
            if (out.put(name, option.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--extension: '" + name + "' is given twice");
            }
        }
        return out;
    }

    /** Headers and body of a request that posts this event in {@code mode}. */
    record HttpRequestParts(Map<String, String> headers, byte[] body) {
    }

    /**
     * The request for {@code mode}. Binary mode: {@code ce-} headers (values percent-encoded as the CloudEvents HTTP
     * binding says) and the data as the body. Structured and batched: JSON data as it is (its exact bytes, white
     * space around it aside), other
     * data that is UTF-8 text as a string, anything else as {@code data_base64}.
     *
     * @throws IllegalArgumentException when the data cannot go into the JSON format as its media type says: data
     *                                  under a JSON media type that is not one JSON value in UTF-8
     */
    HttpRequestParts request(ContentMode mode) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (mode == ContentMode.BINARY) {
            headers.put("ce-specversion", SPEC_VERSION);
            headers.put("ce-id", PercentEncoding.encode(id));
            headers.put("ce-source", PercentEncoding.encode(source));
            headers.put("ce-type", PercentEncoding.encode(type));
            if (subject != null) {
                headers.put("ce-subject", PercentEncoding.encode(subject));
            }
            extensions.forEach((name, value) -> headers.put("ce-" + name, PercentEncoding.encode(value)));
            if (data != null) {
                headers.put("Content-Type", contentType);
            }
            return new HttpRequestParts(headers, data == null ? new byte[0] : data);
        }
        ObjectNode event = structured();
        String body;
        if (mode == ContentMode.STRUCTURED) {
            headers.put("Content-Type", STRUCTURED);
            body = event.toString();
        } else {
            headers.put("Content-Type", BATCH);
            ArrayNode batch = JSON.createArrayNode();
            batch.add(event);
            body = batch.toString();
        }
        return new HttpRequestParts(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The event in the JSON format (CloudEvents JSON event format 1.0). */
    ObjectNode structured() {
        ObjectNode o = JSON.createObjectNode();
        o.put("specversion", SPEC_VERSION);
        o.put("id", id);
        o.put("source", source);
        o.put("type", type);
        if (subject != null) {
            o.put("subject", subject);
        }
        extensions.forEach(o::put);
        if (data == null) {
            return o;
        }
        o.put("datacontenttype", contentType);
        String text = utf8(data);
        if (isJson(contentType)) {
            if (text == null) {
                throw new IllegalArgumentException("the data is not UTF-8, but --content-type " + contentType
                        + " says JSON; give another --content-type or use --mode binary");
            }
            try {
                JSON.readTree(text);
            } catch (IOException e) {
                throw new IllegalArgumentException("the data is not one JSON value, but --content-type " + contentType
                        + " says JSON (" + firstLine(e.getMessage()) + "); give JSON, another --content-type (e.g."
                        + " text/plain), or use --mode binary");
            }
            o.putRawValue("data", new RawValue(text.strip()));
        } else if (text != null) {
            o.put("data", text);
        } else {
            o.put("data_base64", Base64.getEncoder().encodeToString(data));
        }
        return o;
    }

    /** {@code application/json}, {@code text/json} and any {@code +json} type, parameters aside. */
    static boolean isJson(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        int semicolon = t.indexOf(';');
        t = (semicolon < 0 ? t : t.substring(0, semicolon)).strip();
        return Set.of("application/json", "text/json").contains(t) || t.endsWith("+json");
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
