package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request {@code surge send} builds for an event in each content mode, and its refusals of bad options. */
class OutgoingEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OutgoingEvent event(String contentType, String data) {
        Map<String, String> ext = new LinkedHashMap<>();
        ext.put("partitionkey", "order-1");
        ext.put("greeting", "grüß \"dich\" 100%");
        return new OutgoingEvent("e-1", "/shop/web", "shop.order.placed", "order-1.pdf", ext, contentType,
                data == null ? null : data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void binaryModePutsAttributesInPercentEncodedHeadersAndTheDataInTheBody() {
        var r = event("application/json", "{\"orderId\": \"order-1\"}").request(ContentMode.BINARY);
        assertThat(r.headers()).containsExactly(
                Map.entry("ce-specversion", "1.0"), Map.entry("ce-id", "e-1"), Map.entry("ce-source", "/shop/web"),
                Map.entry("ce-type", "shop.order.placed"), Map.entry("ce-subject", "order-1.pdf"),
                Map.entry("ce-partitionkey", "order-1"),
                Map.entry("ce-greeting", "gr%C3%BC%C3%9F%20%22dich%22%20100%25"),
                Map.entry("Content-Type", "application/json"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\": \"order-1\"}");
    }

    @Test
    void binaryModeWithoutDataHasNoContentTypeAndAnEmptyBody() {
        var r = new OutgoingEvent("e-2", "surge-cli", "ping", null, Map.of(), null, null).request(ContentMode.BINARY);
        assertThat(r.headers()).doesNotContainKeys("Content-Type", "ce-subject");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void structuredModeKeepsJsonDataAsItsExactValue() throws Exception {
        var r = event("application/json", "  {\"orderId\": \"order-1\", \"lines\": [1, 2]}\n").request(ContentMode.STRUCTURED);
        assertThat(r.headers()).containsExactly(Map.entry("Content-Type", "application/cloudevents+json; charset=UTF-8"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("\"data\":{\"orderId\": \"order-1\", \"lines\": [1, 2]}");
        JsonNode e = JSON.readTree(body);
        assertThat(e.get("specversion").asText()).isEqualTo("1.0");
        assertThat(e.get("id").asText()).isEqualTo("e-1");
        assertThat(e.get("source").asText()).isEqualTo("/shop/web");
        assertThat(e.get("type").asText()).isEqualTo("shop.order.placed");
        assertThat(e.get("subject").asText()).isEqualTo("order-1.pdf");
        assertThat(e.get("partitionkey").asText()).isEqualTo("order-1");
        assertThat(e.get("greeting").asText()).isEqualTo("grüß \"dich\" 100%");
        assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.get("data").get("lines").size()).isEqualTo(2);
    }

    @Test
    void structuredModeWritesTextAsAStringAndOtherBytesAsBase64() throws Exception {
        JsonNode text = JSON.readTree(event("text/plain", "hello\nworld").request(ContentMode.STRUCTURED).body());
        assertThat(text.get("data").asText()).isEqualTo("hello\nworld");
        assertThat(text.has("data_base64")).isFalse();

        byte[] bytes = {(byte) 0xff, 0x00, (byte) 0xfe};
        var binary = new OutgoingEvent("e-3", "s", "t", null, Map.of(), "application/octet-stream", bytes);
        JsonNode b = JSON.readTree(binary.request(ContentMode.STRUCTURED).body());
        assertThat(b.get("data_base64").asText()).isEqualTo("/wD+");
        assertThat(b.has("data")).isFalse();
    }

    @Test
    void batchedModeIsAnArrayOfTheOneStructuredEvent() throws Exception {
        OutgoingEvent e = event("application/cloudevents-test+json", "[1,2,3]");
        var r = e.request(ContentMode.BATCHED);
        assertThat(r.headers()).containsExactly(
                Map.entry("Content-Type", "application/cloudevents-batch+json; charset=UTF-8"));
        JsonNode batch = JSON.readTree(r.body());
        assertThat(batch.isArray()).isTrue();
        assertThat(batch).hasSize(1);
        assertThat(batch.get(0)).isEqualTo(JSON.readTree(e.request(ContentMode.STRUCTURED).body()));
    }

    @Test
    void dataThatIsNotJsonUnderAJsonTypeIsRefusedInTheJsonFormatsWithWhatToDo() {
        OutgoingEvent e = event("application/json", "{not json");
        assertThatThrownBy(() -> e.request(ContentMode.STRUCTURED)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not one JSON value").hasMessageContaining("--content-type")
                .hasMessageContaining("--mode binary");
        assertThatThrownBy(() -> event("application/json", "{} {}").request(ContentMode.BATCHED))
                .hasMessageContaining("not one JSON value");
        // Binary mode sends the bytes as they are: the media type is the sender's word.
        assertThat(e.request(ContentMode.BINARY).body()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonMediaTypesAreRecognisedWithParametersAndSuffixes() {
        assertThat(OutgoingEvent.isJson("application/json; charset=utf-8")).isTrue();
        assertThat(OutgoingEvent.isJson("Text/JSON")).isTrue();
        assertThat(OutgoingEvent.isJson("application/vnd.acme.order+json")).isTrue();
        assertThat(OutgoingEvent.isJson("application/jsonl")).isFalse();
        assertThat(OutgoingEvent.isJson("text/plain")).isFalse();
    }

    @Test
    void extensionsKeepTheirOrderAndValuesWithEqualsSigns() {
        assertThat(OutgoingEvent.extensions(List.of("region=eu", "query=a=b", "empty=")))
                .containsExactly(Map.entry("region", "eu"), Map.entry("query", "a=b"), Map.entry("empty", ""));
    }

    @Test
    void badExtensionsAreRefusedNamingTheOptionAndWhy() {
        assertThatThrownBy(() -> OutgoingEvent.extensions(List.of("region")))
                .hasMessage("--extension 'region': write NAME=VALUE, e.g. -e region=eu");
        assertThatThrownBy(() -> OutgoingEvent.extensions(List.of("Region=eu")))
                .hasMessageContaining("'Region' is not an attribute name").hasMessageContaining("a-z");
        assertThatThrownBy(() -> OutgoingEvent.extensions(List.of("part-key=1")))
                .hasMessageContaining("'part-key' is not an attribute name");
        assertThatThrownBy(() -> OutgoingEvent.extensions(List.of("type=x")))
                .hasMessageContaining("type is not an extension; use --type");
        assertThatThrownBy(() -> OutgoingEvent.extensions(List.of("a=1", "a=2")))
                .hasMessage("--extension: 'a' is given twice");
    }
}
