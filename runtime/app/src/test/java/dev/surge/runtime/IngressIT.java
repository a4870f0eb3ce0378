package dev.surge.runtime;

import static dev.surge.runtime.testing.SurgeTestEnvironment.TOPIC;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.surge.runtime.testing.RecordingSink;
import dev.surge.runtime.testing.SurgeTestEnvironment;
import dev.surge.runtime.testing.TopicReader;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The ingress against a real Kafka broker: each content mode end to end, and a table of bad requests. */
@QuarkusTest
@QuarkusTestResource(value = SurgeTestEnvironment.class, restrictToAnnotatedClass = false)
class IngressIT {
    @Inject
    SurgeRuntime runtime;

    private static final String PATH = "/test/events";

    @Test
    void binaryModeKeepsEveryAttributeAndExtensionUpToTheTarget() {
        String id = "bin-" + UUID.randomUUID();
        given().header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/binary")
                .header("ce-type", "test.binary").header("ce-subject", "invoice-7.pdf")
                .header("ce-time", "2026-11-24T10:00:00Z").header("ce-dataschema", "https://schema.example/order")
                .header("ce-region", "eu").header("ce-partitionkey", "customer-9")
                .contentType("application/json").body("{\"amount\":42}")
                .post(PATH).then().statusCode(202);

        CloudEvent expected = CloudEventBuilder.v1().withId(id).withSource(URI.create("/test/binary"))
                .withType("test.binary").withSubject("invoice-7.pdf")
                .withTime(OffsetDateTime.parse("2026-11-24T10:00:00Z"))
                .withDataSchema(URI.create("https://schema.example/order")).withExtension("region", "eu")
                .withExtension("partitionkey", "customer-9")
                .withData("application/json", "{\"amount\":42}".getBytes(StandardCharsets.UTF_8)).build();

        ConsumerRecord<String, byte[]> record = recordWithId(id);
        assertThat(record.key()).isEqualTo("customer-9");
        assertThat(TopicReader.header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(TopicReader.header(record, "ce_type")).isEqualTo("test.binary");
        assertThat(TopicReader.header(record, "ce_source")).isEqualTo("/test/binary");
        assertThat(TopicReader.header(record, "ce_subject")).isEqualTo("invoice-7.pdf");
        assertThat(TopicReader.header(record, "ce_time")).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(TopicReader.header(record, "ce_region")).isEqualTo("eu");
        assertThat(TopicReader.header(record, "content-type")).isEqualTo("application/json");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":42}");

        assertSameEvent(delivered(id), expected);
    }

    @Test
    void structuredModeIsStoredAndDeliveredInBinaryMode() {
        String id = "str-" + UUID.randomUUID();
        given().contentType("application/cloudevents+json; charset=utf-8").body("""
                {"specversion":"1.0","id":"%s","source":"/test/structured","type":"test.structured",
                 "subject":"s-1","tenant":"acme","data":{"sku":"book","quantity":2}}""".formatted(id))
                .post(PATH).then().statusCode(202);

        ConsumerRecord<String, byte[]> record = recordWithId(id);
        assertThat(record.key()).isNull();
        assertThat(TopicReader.header(record, "ce_tenant")).isEqualTo("acme");
        assertThat(TopicReader.header(record, "content-type")).isEqualTo("application/json");

        CloudEvent got = delivered(id);
        assertThat(got.getType()).isEqualTo("test.structured");
        assertThat(got.getSource()).isEqualTo(URI.create("/test/structured"));
        assertThat(got.getSubject()).isEqualTo("s-1");
        assertThat(got.getExtension("tenant")).isEqualTo("acme");
        assertThat(got.getDataContentType()).isEqualTo("application/json");
        assertThat(new String(got.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"sku\":\"book\",\"quantity\":2}");
    }

    @Test
    void batchedModeStoresEveryEventOfTheBatch() {
        String prefix = "batch-" + UUID.randomUUID() + "-";
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            batch.append(i == 0 ? "" : ",").append("""
                    {"specversion":"1.0","id":"%s%d","source":"/test/batch","type":"test.batch","partitionkey":"k%d",
                     "datacontenttype":"text/plain","data":"line %d"}""".formatted(prefix, i, i, i));
        }
        given().contentType("application/cloudevents-batch+json").body(batch.append("]").toString())
                .post(PATH).then().statusCode(202);

        for (int i = 0; i < 5; i++) {
            ConsumerRecord<String, byte[]> record = recordWithId(prefix + i);
            assertThat(record.key()).isEqualTo("k" + i);
            CloudEvent got = delivered(prefix + i);
            assertThat(got.getDataContentType()).isEqualTo("text/plain");
            assertThat(new String(got.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("line " + i);
        }
    }

    @Test
    void percentEncodedHeaderValuesAreStoredDecoded() {
        String id = "pct-" + UUID.randomUUID();
        given().header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/percent")
                .header("ce-type", "test.percent").header("ce-greeting", "gr%C3%BC%C3%9F%20dich%21")
                .header("ce-quoted", "\"a b\"")
                .post(PATH).then().statusCode(202);

        ConsumerRecord<String, byte[]> record = recordWithId(id);
        assertThat(TopicReader.header(record, "ce_greeting")).isEqualTo("grüß dich!");
        assertThat(TopicReader.header(record, "ce_quoted")).isEqualTo("a b");
    }

    /**
     * A client that writes its whole request before reading the answer (as many simple clients do) still
     * receives the 413: the ingress reads and discards the rest of the body instead of resetting the connection.
     */
    @ParameterizedTest(name = "chunked: {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatWritesItsWholeTooLargeBodyBeforeReadingGets413(boolean chunked) throws Exception {
        byte[] chunk = "x".repeat(50 * 1024).getBytes(StandardCharsets.US_ASCII);
        int chunks = 4; // 200 KiB: above the 64 KiB limit, below the 256 KiB that is drained
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nce-specversion: 1.0\r\nce-id: big\r\n"
                    + "ce-source: /bad\r\nce-type: test.big\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + chunks * chunk.length + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < chunks; i++) {
                if (chunked) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(chunk);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            String response = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(response).isEqualTo("HTTP/1.1 413");
        }
    }

    /** method, path, content type, ce- headers, body → status, what the problem's detail says, attribute. */
    static Stream<Arguments> badRequests() {
        String big = "x".repeat(70 * 1024);
        String ok = "\"specversion\":\"1.0\",\"source\":\"/bad\",\"type\":\"test.bad\"";
        Map<String, String> none = Map.of();
        return Stream.of(
                bad("POST", PATH, "application/json", none, "{}", 400, "missing required attribute 'specversion'", "specversion"),
                bad("POST", PATH, "application/json", ce("2.0", "bad-1", "/bad", "t"), "{}", 400, "specversion '2.0' is not supported", "specversion"),
                bad("POST", PATH, "application/json", ce("1.0", null, "/bad", "t"), "{}", 400, "missing required attribute 'id'", "id"),
                bad("POST", PATH, "application/json", ce("1.0", "bad-2", null, "t"), "{}", 400, "missing required attribute 'source'", "source"),
                bad("POST", PATH, "application/json", ce("1.0", "bad-3", "/bad", null), "{}", 400, "missing required attribute 'type'", "type"),
                bad("POST", PATH, "application/json", ce("1.0", "", "/bad", "t"), "{}", 400, "missing required attribute 'id'", "id"),
                bad("POST", PATH, "application/json", withHeader(ce("1.0", "bad-4", "/bad", "t"), "ce-time", "yesterday"), "{}", 400, "'time' is not an RFC 3339 timestamp", "time"),
                bad("POST", PATH, "application/json", withHeader(ce("1.0", "bad-20", "/bad", "t"), "ce-myext", "a%0Bb"), "{}", 400, "'myext' contains a control character (U+000B)", "myext"),
                bad("POST", PATH, "application/json", withHeader(ce("1.0", "bad-21", "/bad", "t"), "ce-myext", "%C0%A0"), "{}", 400, "not valid UTF-8", "myext"),
                bad("POST", PATH, "application/json", withHeader(ce("1.0", "bad-22", "/bad", "t"), "ce-my_ext", "x"), "{}", 400, "names consist of lower-case letters a-z and digits 0-9 only", "my_ext"),
                bad("POST", PATH, "application/json", withHeader(ce("1.0", "bad-23", "/bad", "t"), "ce-myext", "x".repeat(17 * 1024)), "{}", 431, "more than the 16384 allowed", null),
                bad("POST", PATH, "application/cloudevents+json", none, "{\"specversion\":", 400, "not valid JSON", null),
                bad("POST", PATH, "application/cloudevents+json", none, "", 400, "body is empty", null),
                bad("POST", PATH, "application/cloudevents+json", none, "[1]", 400, "must be a JSON object", null),
                bad("POST", PATH, "application/cloudevents+json", none, "{\"id\":\"bad-5\",\"source\":\"/bad\",\"type\":\"t\"}", 400, "missing required attribute 'specversion'", "specversion"),
                bad("POST", PATH, "application/cloudevents+json", none, "{" + ok + "}", 400, "missing required attribute 'id'", "id"),
                bad("POST", PATH, "application/cloudevents+json", none, "{\"specversion\":\"1.0\",\"id\":\"bad-6\",\"type\":\"t\"}", 400, "missing required attribute 'source'", "source"),
                bad("POST", PATH, "application/cloudevents+json", none, "{\"specversion\":\"1.0\",\"id\":\"bad-7\",\"source\":\"/bad\",\"type\":7}", 400, "'type' must be a non-empty string", "type"),
                bad("POST", PATH, "application/cloudevents+json", none, "{\"specversion\":\"0.1\",\"id\":\"bad-8\",\"source\":\"/bad\",\"type\":\"t\"}", 400, "specversion '0.1' is not supported", "specversion"),
                bad("POST", PATH, "application/cloudevents+json", none, "{" + ok + ",\"id\":\"bad-9\",\"time\":\"noon\"}", 400, "'time' is not an RFC 3339 timestamp", "time"),
                bad("POST", PATH, "application/cloudevents+json", none, "{" + ok + ",\"id\":\"bad-24\",\"myext\":\"a\\u000bb\"}", 400, "'myext' contains a control character (U+000B)", "myext"),
                bad("POST", PATH, "application/cloudevents+json", none, "{" + ok + ",\"id\":\"bad-25\",\"myext\":{\"a\":1}}", 400, "'myext' is a JSON object", "myext"),
                bad("POST", PATH, "application/cloudevents+json", none, "{" + ok + ",\"id\":\"bad-26\",\"myext\":1.5}", 400, "fraction or exponent", "myext"),
                bad("POST", PATH, "application/cloudevents+json", none, "{" + ok + ",\"id\":\"bad-27\",\"dataschema\":\"/relative\"}", 400, "'dataschema' must be an absolute URI", "dataschema"),
                bad("POST", PATH, "application/cloudevents-batch+json", none, "[{" + ok + ",\"id\":\"bad-28\"},{" + ok + ",\"id\":\"bad-29\",\"myext\":\"\\u0000\"}]", 400, "event 1 of the batch: attribute 'myext' contains a control character (U+0000)", "myext"),
                bad("POST", PATH, "application/cloudevents-batch+json", none, "{" + ok + ",\"id\":\"bad-10\"}", 400, "must be a JSON array", null),
                bad("POST", PATH, "application/cloudevents-batch+json", none, "[]", 400, "contains no event", null),
                bad("POST", PATH, "application/cloudevents-batch+json", none, "[{" + ok + ",\"id\":\"bad-11\"},{\"specversion\":\"1.0\",\"id\":\"bad-12\",\"source\":\"/bad\"}]", 400, "event 1 of the batch: missing required attribute 'type'", "type"),
                bad("POST", PATH, "application/cloudevents-batch+json", none, "[{" + ok, 400, "not valid JSON", null),
                bad("POST", PATH, "application/cloudevents+xml", none, "<event/>", 415, "'application/cloudevents+xml' is not supported", null),
                bad("POST", PATH, "application/cloudevents-batch+protobuf", none, "x", 415, "is not supported", null),
                bad("GET", PATH, null, none, null, 405, "GET is not supported", null),
                bad("PUT", PATH, "application/json", ce("1.0", "bad-13", "/bad", "t"), "{}", 405, "PUT is not supported", null),
                bad("POST", "/test/nope", "application/json", ce("1.0", "bad-14", "/bad", "t"), "{}", 404, "no broker 'nope' in namespace 'test'", null),
                bad("POST", "/other/events", "application/json", ce("1.0", "bad-15", "/bad", "t"), "{}", 404, "no broker 'events' in namespace 'other'", null),
                bad("POST", PATH, "application/json", ce("1.0", "bad-16", "/bad", "t"), big, 413, "larger than 65536 bytes", null),
                bad("POST", PATH, "application/cloudevents+json", none, "{" + ok + ",\"id\":\"bad-17\",\"data\":\"" + big + "\"}", 413, "larger than 65536 bytes", null));
    }

    @ParameterizedTest(name = "{0} {1} {2} → {5}: {6}")
    @MethodSource("badRequests")
    void badRequestGetsAProblemNamingTheCauseAndWritesNothing(String method, String path, String contentType,
            Map<String, String> headers, String body, int status, String detail, String attribute) {
        RequestSpecification request = given().headers(headers);
        if (contentType != null) {
            request = request.contentType(contentType);
        }
        if (body != null) {
            request = request.body(body.getBytes(StandardCharsets.UTF_8));
        }
        Response response = request.request(method, path);
        response.then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", containsString(detail))
                .body("attribute", attribute == null ? nullValue() : equalTo(attribute));

        // Nothing of a refused request reaches Kafka, and the ingress goes on serving.
        List<ConsumerRecord<String, byte[]>> written = TopicReader.readAll(runtime.kafka().bootstrapServers(), TOPIC);
        assertThat(written).noneMatch(r -> "/bad".equals(TopicReader.header(r, "ce_source")));
        given().header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
                .header("ce-source", "/test/after-bad").header("ce-type", "test.after-bad")
                .post(PATH).then().statusCode(202);
    }

    private static Arguments bad(String method, String path, String contentType, Map<String, String> headers,
            String body, int status, String detail, String attribute) {
        return Arguments.of(method, path, contentType, headers, body, status, detail, attribute);
    }

    private static Map<String, String> ce(String specversion, String id, String source, String type) {
        var h = new java.util.LinkedHashMap<String, String>();
        h.put("ce-specversion", specversion);
        if (id != null) {
            h.put("ce-id", id);
        }
        if (source != null) {
            h.put("ce-source", source);
        }
        if (type != null) {
            h.put("ce-type", type);
        }
        return h;
    }

    private static Map<String, String> withHeader(Map<String, String> headers, String name, String value) {
        var h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return h;
    }

    private ConsumerRecord<String, byte[]> recordWithId(String id) {
        List<ConsumerRecord<String, byte[]>> matching = TopicReader.readAll(runtime.kafka().bootstrapServers(), TOPIC)
                .stream().filter(r -> id.equals(TopicReader.header(r, "ce_id"))).toList();
        assertThat(matching).as("records with id %s", id).hasSize(1);
        return matching.get(0);
    }

    /** The event as the all-events trigger's target received it. */
    static CloudEvent delivered(String id) {
        RecordingSink sink = SurgeTestEnvironment.sink();
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> sink.received("/all").stream().filter(r -> id.equals(r.headers().get("ce-id")))
                        .map(RecordingSink.Received::event).findFirst().orElse(null),
                e -> e != null);
    }

    static void assertSameEvent(CloudEvent actual, CloudEvent expected) {
        for (String name : expected.getAttributeNames()) {
            assertThat(actual.getAttribute(name)).as("attribute %s", name).isEqualTo(expected.getAttribute(name));
        }
        assertThat(actual.getExtensionNames()).containsExactlyInAnyOrderElementsOf(expected.getExtensionNames());
        for (String name : expected.getExtensionNames()) {
            assertThat(String.valueOf(actual.getExtension(name))).as("extension %s", name)
                    .isEqualTo(String.valueOf(expected.getExtension(name)));
        }
        assertThat(actual.getData().toBytes()).isEqualTo(expected.getData().toBytes());
    }
}
