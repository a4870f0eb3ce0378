package dev.surge.runtime.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.surge.runtime.http.HttpProblem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CloudEvents type system and Surge's limits as the ingress enforces them, without HTTP or Kafka. */
class EventParserTest {
    private static final String BASE = "\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/test\",\"type\":\"t\"";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventParser parser = new EventParser(EventLimits.DEFAULT);

    /** A structured-mode member added to a valid event → status, attribute at fault, what the detail says. */
    static Stream<Arguments> invalidStructured() {
        return Stream.of(
                row("\"myext\":\"a\\u000bb\"", 400, "myext", "control character (U+000B)"),
                row("\"myext\":\"a\\u0085b\"", 400, "myext", "control character (U+0085)"),
                row("\"myext\":\"a\\u007fb\"", 400, "myext", "control character (U+007F)"),
                row("\"myext\":\"\\uDEAD\"", 400, "myext", "unpaired surrogate"),
                row("\"myext\":\"x\\uFFFE\"", 400, "myext", "noncharacter"),
                row("\"myext\":\"\\uFDD0\"", 400, "myext", "noncharacter"),
                row("\"myext\":{\"a\":1}", 400, "myext", "is a JSON object"),
                row("\"myext\":[1]", 400, "myext", "is a JSON array"),
                row("\"myext\":1.5", 400, "myext", "fraction or exponent"),
                row("\"myext\":1e3", 400, "myext", "fraction or exponent"),
                row("\"myext\":2147483648", 400, "myext", "out of the Integer range"),
                row("\"myext\":-2147483649", 400, "myext", "out of the Integer range"),
                row("\"MyExt\":\"x\"", 400, "MyExt", "lower-case letters a-z and digits 0-9 only"),
                row("\"my_ext\":\"x\"", 400, "my_ext", "lower-case letters a-z and digits 0-9 only"),
                row("\"\":\"x\"", 400, "", "an attribute name is empty"),
                row("\"subject\":\"\"", 400, "subject", "non-empty string"),
                row("\"subject\":5", 400, "subject", "must be a string, not a number"),
                row("\"time\":\"2026-11-24T10:00Z\"", 400, "time", "not an RFC 3339 timestamp"),
                row("\"time\":\"2026-13-24T10:00:00Z\"", 400, "time", "not an RFC 3339 timestamp"),
                row("\"time\":true", 400, "time", "must be a string, not a boolean"),
                row("\"dataschema\":\"/relative\"", 400, "dataschema", "absolute URI"),
                row("\"dataschema\":\"\"", 400, "dataschema", "non-empty string"),
                row("\"datacontenttype\":\"json\"", 400, "datacontenttype", "not a media type"),
                row("\"myext\":\"" + "x".repeat(4097) + "\"", 400, "myext", "longer than 4096 bytes"),
                row("\"data\":1,\"data_base64\":\"AA==\"", 400, "data_base64", "not both"));
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @MethodSource("invalidStructured")
    void structuredModeRefusesWhatTheTypeSystemForbids(String member, int status, String attribute, String detail) {
        HttpProblem problem = refused(structured("{" + BASE + "," + member + "}"));
        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.attribute()).isEqualTo(attribute);
        assertThat(problem.getMessage()).contains(detail);
    }

    @Test
    void requiredAttributesMustBeNonEmptyAndSourceAURIReference() {
        HttpProblem source = refused(structured("{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"has space\",\"type\":\"t\"}"));
        assertThat(source.attribute()).isEqualTo("source");
        assertThat(source.getMessage()).contains("not a URI-reference");
        HttpProblem id = refused(structured("{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/s\",\"type\":\"t\"}"));
        assertThat(id.attribute()).isEqualTo("id");
    }

    @Test
    void structuredModeAcceptsEveryTypeOfTheTypeSystem() {
        CloudEvent event = parser.parse(headers("Content-Type", "application/cloudevents+json"), Buffer.buffer("{" + BASE
                + ",\"flag\":true,\"count\":-2147483648,\"emoji\":\"\\uD83D\\uDE00\",\"gone\":null,\"name\":\"grüß\","
                + "\"time\":\"2026-11-24t10:00:00.123+01:00\",\"dataschema\":\"urn:example:schema\","
                + "\"datacontenttype\":\"text/plain; charset=utf-8\",\"data\":\"hi\"}")).get(0);
        assertThat(event.getExtension("flag")).isEqualTo(true);
        assertThat(event.getExtension("count")).isEqualTo(Integer.MIN_VALUE);
        assertThat(event.getExtension("emoji")).isEqualTo("\uD83D\uDE00");
        assertThat(event.getExtension("name")).isEqualTo("grüß");
        assertThat(event.getExtensionNames()).doesNotContain("gone");
        assertThat(event.getTime()).isNotNull();
    }

    @Test
    void tooManyAttributesAreRefused() {
        StringBuilder members = new StringBuilder(BASE);
        for (int i = 0; i < 61; i++) {
            members.append(",\"x").append(i).append("\":\"v\"");
        }
        HttpProblem problem = refused(structured("{" + members + "}"));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.getMessage()).contains("65 attributes, more than the 64 allowed");
    }

    @Test
    void attributesThatWouldNotFitIntoDeliveryHeadersAreRefused() {
        // 40 values of 200 non-ASCII characters: 400 bytes each in UTF-8, 1200 once percent-encoded.
        StringBuilder members = new StringBuilder(BASE);
        for (int i = 0; i < 40; i++) {
            members.append(",\"x").append(i).append("\":\"").append("é".repeat(200)).append('"');
        }
        HttpProblem problem = refused(structured("{" + members + "}"));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.getMessage()).contains("as HTTP headers, more than the 16384 allowed");
    }

    @Test
    void aBatchNamesTheIndexOfTheInvalidEvent() {
        HttpProblem problem = refused(() -> parser.parse(headers("Content-Type", EventParser.BATCH),
                Buffer.buffer("[{" + BASE + "},{" + BASE + ",\"myext\":\"a\\u0000b\"}]")));
        assertThat(problem.index()).isEqualTo(1);
        assertThat(problem.attribute()).isEqualTo("myext");
        assertThat(problem.getMessage()).startsWith("event 1 of the batch: ").contains("U+0000");
    }

    /**
     * Structured events Surge accepts read as the SDK's own JSON format reads them: the same attributes and
     * extensions, data as the same bytes (a JSON value: the same JSON).
     */
    static Stream<String> acceptedStructured() {
        return Stream.of(
                "{" + BASE + "}",
                "{" + BASE + ",\"datacontenttype\":\"application/json\",\"data\":\"x\\\"y\\u00e9\"}",
                "{" + BASE + ",\"data\":{\"a\": [1, 2.5, true, null, {\"b\": \"\\u00e9\"}]}}",
                "{" + BASE + ",\"data\":[1,2,3]}",
                "{" + BASE + ",\"data\":-12.5e3}",
                "{" + BASE + ",\"data\":7}",
                "{" + BASE + ",\"data\":true}",
                "{" + BASE + ",\"data\":null}",
                "{" + BASE + ",\"data\":\"plain\"}",
                "{" + BASE + ",\"datacontenttype\":\"text/plain; charset=utf-8\",\"data\":\"grüß \\n dich\"}",
                "{" + BASE + ",\"datacontenttype\":\"application/cloudevents+json\",\"data\":{\"x\":1}}",
                "{" + BASE + ",\"datacontenttype\":\"application/octet-stream\",\"data_base64\":\"AAEC/w==\"}",
                "{" + BASE + ",\"data_base64\":\"aGVsbG8=\"}",
                "{\"data\":{\"first\":true}," + BASE + ",\"flag\":false,\"count\":42,\"neg\":-7,\"s\":\"v\","
                        + "\"subject\":\"sub\",\"time\":\"2026-11-24T10:00:00.5Z\",\"dataschema\":\"urn:x:y\"}",
                "{" + BASE + ",\"partitionkey\":\"order-1\",\"gone\":null,\"datacontenttype\":null}",
                // CloudEvents 0.3 stays 0.3, with its own attributes
                "{\"specversion\":\"0.3\",\"id\":\"e-3\",\"source\":\"/test\",\"type\":\"t\",\"schemaurl\":\"urn:s\","
                        + "\"data\":{\"a\":1}}",
                "{\"specversion\":\"0.3\",\"id\":\"e-3\",\"source\":\"/test\",\"type\":\"t\","
                        + "\"datacontenttype\":\"text/plain\",\"datacontentencoding\":\"base64\",\"data\":\"aGVsbG8=\"}");
    }

    @ParameterizedTest
    @MethodSource("acceptedStructured")
    void structuredEventsReadAsTheSdksJsonFormatReadsThem(String json) throws Exception {
        CloudEvent ours = parser.parse(headers("Content-Type", EventParser.STRUCTURED), Buffer.buffer(json)).get(0);
        // The oracle: the SDK's JSON format, given the event without its null members (the JSON format maps null
        // to absent; the SDK would make them "null" strings).
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
        tree.properties().removeIf(m -> m.getValue().isNull() && !m.getKey().equals("data"));
        CloudEvent sdk = new JsonFormat().deserialize(JSON.writeValueAsBytes(tree));
        for (String name : sdk.getAttributeNames()) {
            assertThat(ours.getAttribute(name)).as(name).isEqualTo(sdk.getAttribute(name));
        }
        // Surge says what the JSON format implies: a non-string JSON data value is application/json.
        assertThat(ours.getAttributeNames()).containsExactlyInAnyOrderElementsOf(ours.getDataContentType() != null
                && sdk.getDataContentType() == null ? with(sdk.getAttributeNames(), "datacontenttype") : sdk.getAttributeNames());
        assertThat(ours.getExtensionNames()).containsExactlyInAnyOrderElementsOf(sdk.getExtensionNames());
        for (String name : ours.getExtensionNames()) {
            assertThat(ours.getExtension(name)).as(name).isEqualTo(sdk.getExtension(name));
        }
        if (sdk.getData() == null) {
            assertThat(ours.getData()).isNull();
        } else if (!json.contains("data_base64") && (sdk.getDataContentType() == null
                || sdk.getDataContentType().matches("(application|text)/([a-zA-Z]+\\+)?json(;.*)*"))) {
            assertThat(JSON.readTree(ours.getData().toBytes())).isEqualTo(JSON.readTree(sdk.getData().toBytes()));
        } else {
            assertThat(ours.getData().toBytes()).isEqualTo(sdk.getData().toBytes());
        }
    }

    @Test
    void aJsonDataValueIsKeptExactlyAsTheClientSentIt() {
        String data = "{ \"b\" : [ 1 ,2.50 ] ,\n \"a\": \"\\u00e9\" }";
        CloudEvent event = parser.parse(headers("Content-Type", EventParser.BATCH), Buffer.buffer("[{" + BASE
                + ",\"data\":" + data + "} , {" + BASE + ",\"data\": 2.50 }]")).get(0);
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo(data);
        assertThat(event.getDataContentType()).isEqualTo("application/json");
    }

    @Test
    void aScalarJsonDataValueIsKeptExactlyToo() {
        List<CloudEvent> events = parser.parse(headers("Content-Type", EventParser.BATCH), Buffer.buffer("[{" + BASE
                + ",\"data\":2.50},{" + BASE + ",\"data\":-17 },{" + BASE + ",\"data\":\"q\\\"\"},{" + BASE
                + ",\"data\":false},{\"data\" : \"a,\\\"b\\\\\"  ,\n" + BASE + "},{" + BASE + ",\"data\":\"\" }]"));
        assertThat(events).extracting(e -> new String(e.getData().toBytes(), StandardCharsets.UTF_8))
                .containsExactly("2.50", "-17", "\"q\\\"\"", "false", "\"a,\\\"b\\\\\"", "\"\"");
    }

    static Stream<Arguments> malformedStructured() {
        return Stream.of(
                row(EventParser.STRUCTURED, "{" + BASE + ",\"myext\":\"a\",\"myext\":\"b\"}", "myext", "given twice"),
                row(EventParser.STRUCTURED, "{" + BASE + ",\"id\":\"again\"}", "id", "given twice"),
                row(EventParser.STRUCTURED, "{" + BASE + ",\"datacontenttype\":\"text/plain\",\"data\":{\"a\":1}}",
                        "data", "is not JSON"),
                row(EventParser.STRUCTURED, "{" + BASE + ",\"data_base64\":\"not base64!\"}", "data_base64",
                        "not valid base64"),
                row(EventParser.STRUCTURED, "{" + BASE + "} {}", null, "content after its JSON value"),
                row(EventParser.STRUCTURED, "{" + BASE + ",\"data\":{\"a\":}}", null, "not valid JSON"),
                row(EventParser.STRUCTURED, "[{" + BASE + "}]", null, "must be a JSON object"),
                // A data string is skipped rather than decoded: it is still checked to be valid JSON.
                row(EventParser.STRUCTURED, "{" + BASE + ",\"data\":\"a\u0001b\"}", null, "not valid JSON"),
                row(EventParser.STRUCTURED, "{" + BASE + ",\"data\":\"a\\qb\"}", null, "not valid JSON"),
                row(EventParser.STRUCTURED, "   ", null, "holds no JSON value"),
                row(EventParser.BATCH, "[{" + BASE + "}] x", null, "not valid JSON"),
                row(EventParser.BATCH, "[{" + BASE + "}] []", null, "content after its JSON value"),
                row(EventParser.BATCH, "[{" + BASE + "},", null, "not valid JSON"),
                row(EventParser.BATCH, "{" + BASE + "}", null, "must be a JSON array"),
                row(EventParser.BATCH, "[]", null, "contains no event"),
                row(EventParser.BATCH, "[{" + BASE + "},[1]]", null, "event 1 of the batch: a structured CloudEvent must be"));
    }

    @ParameterizedTest(name = "{0}: {1} → {2}")
    @MethodSource("malformedStructured")
    void structuredAndBatchedBodiesThatAreNotOneValidValueAreRefused(String mediaType, String body, String attribute,
            String detail) {
        HttpProblem problem = refused(() -> parser.parse(headers("Content-Type", mediaType), Buffer.buffer(body)));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.attribute()).isEqualTo(attribute);
        assertThat(problem.getMessage()).contains(detail);
    }

    @Test
    void anyStructuredSuffixJsonMediaTypeCarriesItsDataAsJson() {
        List<CloudEvent> events = parser.parse(headers("Content-Type", EventParser.BATCH), Buffer.buffer("[{" + BASE
                + ",\"datacontenttype\":\"application/vnd.api+json\",\"data\":{\"a\":1}},{" + BASE
                + ",\"datacontenttype\":\"Application/Merge-Patch+JSON; charset=utf-8\",\"data\":\"s\"},{" + BASE
                + ",\"datacontenttype\":\"text/plain\",\"data\":\"s\"}]"));
        assertThat(events).extracting(e -> new String(e.getData().toBytes(), StandardCharsets.UTF_8))
                .containsExactly("{\"a\":1}", "\"s\"", "s");
    }

    /** Bodies that are not UTF-8 (RFC 8259 8.1), including sequences Jackson's string skipping would let by. */
    static Stream<Arguments> notUtf8() {
        return Stream.of(
                row("overlong NUL", new byte[] {(byte) 0xC0, (byte) 0x80}, "not valid UTF-8"),
                row("overlong in an object", new byte[] {(byte) 0xC1, (byte) 0xBF}, "not valid UTF-8"),
                row("encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "not valid UTF-8"),
                row("above U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "not valid UTF-8"),
                row("truncated", new byte[] {(byte) 0xE2, (byte) 0x82}, "not valid UTF-8"),
                row("bad continuation", new byte[] {(byte) 0xC3, 0x28}, "not valid UTF-8"),
                row("NUL", new byte[] {0}, "NUL byte"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notUtf8")
    void aBodyThatIsNotUtf8IsRefused(String what, byte[] inData, String detail) {
        byte[] prefix = ("[{" + BASE + ",\"data\":{\"k\":\"a").getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}}]".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + inData.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(inData, 0, body, prefix.length, inData.length);
        System.arraycopy(suffix, 0, body, prefix.length + inData.length, suffix.length);
        HttpProblem problem = refused(() -> parser.parse(headers("Content-Type", EventParser.BATCH), Buffer.buffer(body)));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.getMessage()).contains(detail);
    }

    @Test
    void aUtf16BodyIsRefusedNotMisread() {
        byte[] utf16 = ("{" + BASE + "}").getBytes(StandardCharsets.UTF_16BE);
        HttpProblem problem = refused(() -> parser.parse(headers("Content-Type", EventParser.STRUCTURED),
                Buffer.buffer(utf16)));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.getMessage()).contains("NUL byte");
        byte[] withBom = ("\uFEFF{" + BASE + "}").getBytes(StandardCharsets.UTF_16LE);
        assertThat(refused(() -> parser.parse(headers("Content-Type", EventParser.STRUCTURED), Buffer.buffer(withBom)))
                .status()).isEqualTo(400);
        // Valid multi-byte UTF-8 passes, byte for byte.
        String data = "{\"k\":\"é € 😀\"}";
        CloudEvent event = parser.parse(headers("Content-Type", EventParser.STRUCTURED),
                Buffer.buffer("{" + BASE + ",\"data\":" + data + "}")).get(0);
        assertThat(event.getData().toBytes()).isEqualTo(data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDataStringThatIsNotUtf8IsRefused() {
        byte[] prefix = ("[{" + BASE + ",\"data\":\"a").getBytes(StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(prefix, prefix.length + 6);
        System.arraycopy(new byte[] {(byte) 0xC3, 0x28, 'b', '"', '}', ']'}, 0, body, prefix.length, 6);
        HttpProblem problem = refused(() -> parser.parse(headers("Content-Type", EventParser.BATCH), Buffer.buffer(body)));
        assertThat(problem.getMessage()).contains("not valid UTF-8 at byte");
    }

    @Test
    void aSyntaxErrorLaterInABatchIsReportedBeforeAnInvalidEarlierEvent() {
        HttpProblem problem = refused(() -> parser.parse(headers("Content-Type", EventParser.BATCH),
                Buffer.buffer("[{\"specversion\":\"1.0\"},{" + BASE + ",}]")));
        assertThat(problem.getMessage()).contains("not valid JSON");
    }

    private static Set<String> with(Set<String> names, String name) {
        Set<String> more = new java.util.HashSet<>(names);
        more.add(name);
        return more;
    }

    /** A ce- header added to a valid binary-mode request → status, attribute at fault, what the detail says. */
    static Stream<Arguments> invalidBinary() {
        return Stream.of(
                row("ce-myext", "a%0Bb", 400, "myext", "control character (U+000B)"),
                row("ce-myext", "a%C2%85b", 400, "myext", "control character (U+0085)"),
                row("ce-myext", "%C0%A0", 400, "myext", "not valid UTF-8"),
                row("ce-myext", "%ED%BA%AD", 400, "myext", "not valid UTF-8"),
                row("ce-myext", "100%", 400, "myext", "not followed by two hexadecimal digits"),
                row("ce-myext", "%zz", 400, "myext", "not followed by two hexadecimal digits"),
                row("ce-myext", "café", 400, "myext", "not percent-encoded"),
                row("ce-myext", "%EF%BF%BE", 400, "myext", "noncharacter"),
                row("ce-my-ext", "x", 400, "my-ext", "lower-case letters a-z and digits 0-9 only"),
                row("ce-my_ext", "x", 400, "my_ext", "lower-case letters a-z and digits 0-9 only"),
                row("ce-data", "x", 400, "data", "payload"),
                row("ce-time", "yesterday", 400, "time", "not an RFC 3339 timestamp"),
                row("ce-dataschema", "not%20a%20uri", 400, "dataschema", "not a URI"),
                row("ce-myext", "x".repeat(4097), 400, "myext", "longer than 4096 bytes"),
                row("ce-myext", "x".repeat(17000), 431, null, "more than the 16384 allowed"),
                row("Content-Type", "json", 400, "datacontenttype", "not a media type"));
    }

    @ParameterizedTest(name = "{0}: {1} → {2} {3}")
    @MethodSource("invalidBinary")
    void binaryModeRefusesWhatTheTypeSystemForbids(String header, String value, int status, String attribute,
            String detail) {
        MultiMap headers = binaryHeaders().set(header, value);
        HttpProblem problem = refused(() -> parser.parse(headers, Buffer.buffer("{}")));
        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.attribute()).isEqualTo(attribute);
        assertThat(problem.getMessage()).contains(detail);
    }

    @Test
    void binaryModeHeadersArePercentDecodedAndUnquoted() {
        MultiMap headers = binaryHeaders().add("ce-greeting", "gr%C3%BC%C3%9F%20dich%25").add("ce-quoted", "\"a \\\"b\\\"\"")
                .add("CE-Upper", "x").add("ce-source", "/s%20t");
        headers.set("ce-source", "/s%2Ft");
        CloudEvent event = parser.parse(headers, Buffer.buffer("{}")).get(0);
        assertThat(event.getExtension("greeting")).isEqualTo("grüß dich%");
        assertThat(event.getExtension("quoted")).isEqualTo("a \"b\"");
        assertThat(event.getExtension("upper")).isEqualTo("x");
        assertThat(event.getSource().toString()).isEqualTo("/s/t");
    }

    @Test
    void aBinaryAttributeGivenTwiceIsRefused() {
        HttpProblem problem = refused(() -> parser.parse(binaryHeaders().add("ce-myext", "a").add("ce-MyExt", "b"),
                Buffer.buffer("{}")));
        assertThat(problem.attribute()).isEqualTo("myext");
        assertThat(problem.getMessage()).contains("given twice");
    }

    private static MultiMap binaryHeaders() {
        return MultiMap.caseInsensitiveMultiMap().add("ce-specversion", "1.0").add("ce-id", "e-1")
                .add("ce-source", "/test").add("ce-type", "t").add("Content-Type", "application/json");
    }

    private static MultiMap headers(String name, String value) {
        return MultiMap.caseInsensitiveMultiMap().add(name, value);
    }

    private ThrowingParse structured(String json) {
        return () -> parser.parse(headers("Content-Type", "application/cloudevents+json"), Buffer.buffer(json));
    }

    private static HttpProblem refused(ThrowingParse parse) {
        HttpProblem problem = catchThrowableOfType(HttpProblem.class, parse::run);
        assertThat(problem).as("the request is refused").isNotNull();
        return problem;
    }

    private interface ThrowingParse {
        List<CloudEvent> run();
    }

    private static Arguments row(Object... values) {
        return Arguments.of(values);
    }
}
