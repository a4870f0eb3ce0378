package dev.surge.runtime.ingress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.Utf8;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The members of structured-mode events as a streaming parser reads them from the request body, in one pass and
 * without building a tree: names, the kind of each value, string and scalar values, and for objects, arrays
 * and every other value the exact span of bytes the client sent. The body is checked to be UTF-8 first.
 *
 * <p>Why not the SDK's {@code JsonFormat}: it reads each event into a Jackson tree, converts the tree into an
 * event and writes JSON data out again as a string ({@code JsonCloudEventData.toBytes}); for batches of 1 KiB
 * events that was about half of the ingress's event-loop time. Here a JSON {@code data} value is a copy of
 * the client's bytes ({@link Member#bytes}), JSON-equivalent to what the SDK would write.
 *
 * <p>The whole body is read before any event is checked, so a syntax error anywhere is reported before the
 * type-system problems of any event, as the tree did; content after the top-level value is refused.
 */
final class JsonMembers {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** What a member's value is, as far as the CloudEvents JSON format cares. */
    enum Kind {
        STRING, INTEGER, OUT_OF_RANGE_INTEGER, FRACTION, BOOLEAN, NULL, OBJECT, ARRAY;

        /** As a problem detail says it, e.g. "a JSON object". */
        String described() {
            return switch (this) {
                case OBJECT -> "a JSON object";
                case ARRAY -> "a JSON array";
                case INTEGER, OUT_OF_RANGE_INTEGER, FRACTION -> "a number";
                case BOOLEAN -> "a boolean";
                case STRING -> "a string";
                case NULL -> "null";
            };
        }
    }

    /**
     * One member of an event object.
     *
     * @param text   the string value (STRING only; for {@code data} read on demand, see {@link #text(Member, byte[])})
     * @param scalar the Integer or Boolean value (INTEGER and BOOLEAN only)
     * @param start  offset of the value's first byte in the body
     * @param end    offset after the value's last byte
     */
    record Member(String name, Kind kind, String text, Object scalar, int start, int end) {
        /** The value exactly as the client sent it (a copy). */
        byte[] bytes(byte[] body) {
            return Arrays.copyOfRange(body, start, end);
        }
    }

    /** One event object as read: its members in order, and the span of the whole object in the body. */
    record JsonObject(List<Member> members, int start, int end) {
    }

    private JsonMembers() {
    }

    /** A structured-mode body: exactly one JSON value; null when it is not an object. */
    static JsonObject event(byte[] body) {
        try (JsonParser p = parser(body)) {
            JsonObject event = readValue(p, body);
            end(p);
            return event;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new HttpProblem(400, "Malformed JSON", e.getMessage());
        }
    }

    /**
     * A batched-mode body: a JSON array, one entry per element; an entry is null when that element is not an
     * object.
     */
    static List<JsonObject> batch(byte[] body) {
        try (JsonParser p = parser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new HttpProblem(400, "Invalid batch", "a batch must be a JSON array of structured CloudEvents");
            }
            List<JsonObject> events = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                events.add(current(p, body));
            }
            end(p);
            if (events.isEmpty()) {
                throw new HttpProblem(400, "Invalid batch", "the batch contains no event");
            }
            return events;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new HttpProblem(400, "Malformed JSON", e.getMessage());
        }
    }

    private static JsonParser parser(byte[] body) throws IOException {
        if (body.length == 0) {
            throw new HttpProblem(400, "Malformed JSON", "the request body is empty");
        }
        // JSON on the wire is UTF-8 (RFC 8259, 8.1). Checked whole and first: the data values are passed on as
        // the bytes the client sent, and Jackson would read a body with NUL bytes as UTF-16 or UTF-32.
        int invalid = Utf8.firstInvalid(body, 0, body.length);
        if (invalid >= 0) {
            throw new HttpProblem(400, "Malformed JSON", "the body is not valid UTF-8 at byte " + invalid
                    + " (JSON is sent as UTF-8, RFC 8259 8.1)");
        }
        for (byte b : body) {
            if (b == 0) {
                throw new HttpProblem(400, "Malformed JSON", "the body holds a NUL byte: JSON is sent as UTF-8"
                        + " (RFC 8259 8.1), not UTF-16 or UTF-32");
            }
        }
        return FACTORY.createParser(body);
    }

    private static JsonObject readValue(JsonParser p, byte[] body) throws IOException {
        if (p.nextToken() == null) {
            throw new HttpProblem(400, "Malformed JSON", "the request body holds no JSON value");
        }
        return current(p, body);
    }

    /** The object at the parser's current token, read to its end; null (value skipped) when it is not one. */
    private static JsonObject current(JsonParser p, byte[] body) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        int start = (int) p.currentTokenLocation().getByteOffset();
        List<Member> members = new ArrayList<>(12);
        int unfinished = -1;
        for (String name; (name = p.nextFieldName()) != null; ) {
            if (unfinished >= 0) {
                members.set(unfinished, finished(members.get(unfinished), p, body));
                unfinished = -1;
            }
            Member member = member(name, p);
            if (member.end() < 0) {
                unfinished = members.size();
            }
            members.add(member);
        }
        if (unfinished >= 0) {
            members.set(unfinished, finished(members.get(unfinished), p, body));
        }
        return new JsonObject(members, start, (int) p.currentLocation().getByteOffset());
    }

    private static Member member(String name, JsonParser p) throws IOException {
        JsonToken token = p.nextToken();
        int start = (int) p.currentTokenLocation().getByteOffset();
        Kind kind;
        String text = null;
        Object scalar = null;
        switch (token) {
            case VALUE_STRING -> {
                if (name.equals("data")) {
                    // Usually carried as the JSON value it is: the parser skips it when it moves on, without
                    // decoding it into a String (which cost more than the rest of the event).
                    return new Member(name, Kind.STRING, null, null, start, -1);
                }
                kind = Kind.STRING;
                text = p.getText();
            }
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.INT) {
                    kind = Kind.INTEGER;
                    scalar = p.getIntValue();
                } else {
                    kind = Kind.OUT_OF_RANGE_INTEGER;
                }
            }
            case VALUE_NUMBER_FLOAT -> kind = Kind.FRACTION;
            case VALUE_TRUE, VALUE_FALSE -> {
                kind = Kind.BOOLEAN;
                scalar = token == JsonToken.VALUE_TRUE;
            }
            case VALUE_NULL -> kind = Kind.NULL;
            case START_OBJECT, START_ARRAY -> {
                kind = token == JsonToken.START_OBJECT ? Kind.OBJECT : Kind.ARRAY;
                p.skipChildren();
            }
            default -> throw new HttpProblem(400, "Malformed JSON", "unexpected " + token + " for member '" + name + "'");
        }
        // After a finished token the parser stands right behind it: the value's bytes are [start, end).
        int end = (int) p.currentLocation().getByteOffset();
        return new Member(name, kind, text, scalar, start, end);
    }

    /**
     * A string member the parser skipped: it now stands on the next member's name or the object's end, with only
     * whitespace and a comma between it and the string's closing quote.
     */
    private static Member finished(Member skipped, JsonParser p, byte[] body) {
        int end = (int) p.currentTokenLocation().getByteOffset();
        while (end > skipped.start() && body[end - 1] != '"') {
            end--;
        }
        return new Member(skipped.name(), skipped.kind(), null, null, skipped.start(), end);
    }

    /** The value of a string member whose text was not decoded while reading. */
    static String text(Member member, byte[] body) {
        if (member.text() != null) {
            return member.text();
        }
        try (JsonParser p = FACTORY.createParser(body, member.start(), member.end() - member.start())) {
            p.nextToken();
            return p.getText();
        } catch (IOException e) {
            throw new IllegalStateException("a string the parser read before cannot be read again", e);
        }
    }

    private static void end(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new HttpProblem(400, "Malformed JSON", "the body has content after its JSON value (at byte "
                    + p.currentTokenLocation().getByteOffset() + ")");
        }
    }

    private static HttpProblem malformed(JsonProcessingException e) {
        return new HttpProblem(400, "Malformed JSON", "the body is not valid JSON: " + e.getOriginalMessage());
    }
}
