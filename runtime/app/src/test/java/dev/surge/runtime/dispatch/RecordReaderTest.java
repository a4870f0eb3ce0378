package dev.surge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.delivery.DeliverySpec;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What a trigger makes of each record of its broker's topic: a delivery, a pass-over, or an unreadable record. */
class RecordReaderTest {
    private final AtomicInteger filtered = new AtomicInteger();
    private final AtomicInteger unreadable = new AtomicInteger();
    private final RecordReader reader = new RecordReader(TriggerDispatcherTest.trigger(TriggerDispatcherTest.WANTED,
            DeliverySpec.DEFAULT), TriggerDispatcherTest.WANTED::test, filtered::incrementAndGet, unreadable::incrementAndGet);

    @Test
    void aMatchingEventIsTakenAndANonMatchingOnePassedOver() {
        CloudEvent wanted = TriggerDispatcherTest.event("e-1", "wanted");
        CloudEvent other = TriggerDispatcherTest.event("e-2", "other");

        RecordReader.Taken taken = reader.read(TriggerDispatcherTest.P0, TriggerDispatcherTest.record(TriggerDispatcherTest.P0, 7, wanted));
        assertThat(taken).isNotNull();
        assertThat(taken.offset()).isEqualTo(7);
        assertThat(taken.event().getId()).isEqualTo("e-1");
        assertThat(reader.read(TriggerDispatcherTest.P0, TriggerDispatcherTest.record(TriggerDispatcherTest.P0, 8, other))).isNull();
        assertThat(filtered).hasValue(1);
        assertThat(unreadable).hasValue(0);
    }

    @Test
    void aRecordThatIsNotACloudEventIsCountedAsUnreadableAndMovedPast() {
        ConsumerRecord<String, byte[]> garbage = raw(new RecordHeaders(), "not an event");
        RecordHeaders badTime = new RecordHeaders();
        // Matches by its headers (the filter reads the type), but cannot be read whole: ce_time is no timestamp.
        for (String[] h : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", "x"}, {"ce_source", "/s"},
                {"ce_type", "wanted"}, {"ce_time", "yesterday"}}) {
            badTime.add(h[0], h[1].getBytes(StandardCharsets.UTF_8));
        }

        assertThat(reader.read(TriggerDispatcherTest.P0, garbage)).isNull();
        assertThat(reader.read(TriggerDispatcherTest.P0, raw(badTime, "{}"))).isNull();
        assertThat(unreadable).hasValue(2);
        assertThat(filtered).hasValue(0);
    }

    private static ConsumerRecord<String, byte[]> raw(RecordHeaders headers, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(TriggerDispatcherTest.P0.topic(), TriggerDispatcherTest.P0.partition(), 3, 0L,
                TimestampType.CREATE_TIME, -1, bytes.length, null, bytes, headers, java.util.Optional.empty());
    }
}
