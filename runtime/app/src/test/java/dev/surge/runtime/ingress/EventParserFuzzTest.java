package dev.surge.runtime.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.runtime.http.HttpBinaryHeaders;
import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.PercentEncoding;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.impl.HttpUtils;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Any request, in any of the three modes, is either refused with a 4xx problem or gives events that can be
 * written to Kafka, read back, and written as HTTP binary-mode headers that Vert.x accepts: the ingress never
 * accepts an event that would later jam its trigger. Replays the kept corpus under
 * {@code src/test/resources/.../EventParserFuzzTestInputs} in a normal test run; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class EventParserFuzzTest {
    private static final String[] NAMES = {"ce-specversion", "ce-id", "ce-source", "ce-type", "ce-subject", "ce-time",
            "ce-dataschema", "ce-partitionkey", "ce-myext", "Content-Type", "ce-data", "CE-Ext"};
    private static final String[] CONTENT_TYPES = {EventParser.STRUCTURED, EventParser.BATCH};
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventParser parser = new EventParser(new EventLimits(16, 256, 2048));

    @FuzzTest(maxDuration = "30s")
    void anyRequestIsRefusedCleanlyOrDeliverable(FuzzedDataProvider data) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        int mode = data.consumeInt(0, 2);
        if (mode < 2) {
            headers.add("Content-Type", CONTENT_TYPES[mode]);
        } else {
            headers.add("ce-specversion", "1.0").add("ce-id", "fuzz").add("ce-source", "/fuzz").add("ce-type", "fuzz");
        }
        int extra = data.consumeInt(0, 6);
        for (int i = 0; i < extra; i++) {
            String name = data.consumeBoolean() ? data.pickValue(NAMES) : "ce-" + data.consumeString(12);
            String value = data.consumeString(300);
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7F || c == ':')) {
                continue; // not an HTTP header name: the HTTP server never passes one on
            }
            if (data.consumeBoolean()) {
                headers.set(name, value);
            } else {
                headers.add(name, value);
            }
        }
        // Half of the structured inputs are a valid event plus one fuzzed member, so accepted events with odd
        // values are common enough to reach the Kafka and HTTP encodings.
        byte[] body = mode == 0 && data.consumeBoolean() ? eventWithMember(data) : data.consumeRemainingAsBytes();

        List<CloudEvent> events;
        try {
            events = parser.parse(headers, Buffer.buffer(body));
        } catch (HttpProblem refused) {
            assertThat(refused.status()).as(refused.getMessage()).isBetween(400, 499);
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(events).isNotEmpty();
        for (CloudEvent event : events) {
            assertDeliverable(event);
        }
    }

    private static byte[] eventWithMember(FuzzedDataProvider data) {
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", data.consumeString(20))
                .put("source", data.consumeString(20)).put("type", "fuzz");
        String name = data.consumeString(12);
        switch (data.consumeInt(0, 3)) {
            case 0 -> event.put(name, data.consumeLong());
            case 1 -> event.put(name, data.consumeBoolean());
            case 2 -> event.put(name, data.consumeDouble());
            default -> event.put(name, data.consumeString(200));
        }
        if (data.consumeBoolean()) {
            event.put("data", data.consumeRemainingAsString());
        }
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What the ingress and the dispatcher do with an accepted event, none of which may throw. */
    private static void assertDeliverable(CloudEvent event) {
        Object key = event.getExtension("partitionkey");
        ProducerRecord<String, byte[]> record = KafkaMessageFactory
                .<String>createWriter("surge.fuzz.events", key == null ? null : key.toString()).writeBinary(event);
        ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>(record.topic(), 0, 0L, 0L,
                TimestampType.CREATE_TIME, -1, -1, record.key(), record.value(), new RecordHeaders(record.headers().toArray()),
                java.util.Optional.empty());
        MessageReader reader = KafkaMessageFactory.createReader(consumed);
        CloudEvent readBack = reader.toEvent();
        assertThat(readBack.getId()).isEqualTo(event.getId());

        MultiMap http = HttpBinaryHeaders.of(readBack);
        // The size the ingress counted (without writing the headers) is what they take.
        assertThat(HttpBinaryHeaders.size(event)).isEqualTo(HttpBinaryHeaders.size(http));
        MultiMap validating = HttpHeaders.headers();
        for (Map.Entry<String, String> header : http) {
            HttpUtils.validateHeader(header.getKey(), header.getValue());
            validating.add(header.getKey(), header.getValue());
            if (header.getKey().startsWith("ce-")) {
                assertThat(header.getValue().chars()).as("%s is printable ASCII", header.getKey())
                        .allMatch(c -> c > ' ' && c < 0x7F);
                String attribute = header.getKey().substring(3);
                Object original = isContext(attribute) ? readBack.getAttribute(attribute) : readBack.getExtension(attribute);
                if (original instanceof String text) {
                    assertThat(PercentEncoding.decode(header.getValue())).isEqualTo(text);
                }
            }
        }
    }

    private static boolean isContext(String name) {
        return switch (name) {
            case "id", "source", "type", "subject", "time", "dataschema", "datacontenttype", "specversion" -> true;
            default -> false;
        };
    }
}
