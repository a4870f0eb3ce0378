package dev.surge.runtime.dispatch;

import dev.surge.core.resource.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Turns a record of the broker's topic into what a trigger does with it. The filter sees the event built
 * from the record's {@code ce_} headers alone; only a record that matches gets its data attached, so the
 * events a trigger passes over cost a header parse and nothing more. Thread-safe (no state): the consumer
 * thread runs it while the engine delivers the previous batch.
 */
final class RecordReader {
    private static final Logger LOG = Logger.getLogger(RecordReader.class);
    /** What an event costs in memory beyond its bytes on the wire (objects, queue entry), for the byte bounds. */
    static final int EVENT_OVERHEAD_BYTES = 256;

    /**
     * A record read for this trigger. {@code event} is null when the trigger does not want it (not a
     * CloudEvent, or filtered out): its offset only needs to be marked done.
     */
    record Taken(TopicPartition partition, long offset, String key, CloudEvent event, long bytes) {
        boolean matched() {
            return event != null;
        }
    }

    private final Trigger trigger;
    private final Predicate<CloudEvent> filter;
    private final Runnable onFiltered;

    RecordReader(Trigger trigger, Predicate<CloudEvent> filter, Runnable onFiltered) {
        this.trigger = trigger;
        this.filter = filter;
        this.onFiltered = onFiltered;
    }

    Taken read(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        CloudEvent event = matching(record);
        long bytes = event == null ? 0 : size(record);
        return new Taken(partition, record.offset(), record.key(), event, bytes);
    }

    private CloudEvent matching(ConsumerRecord<String, byte[]> record) {
        CloudEvent attributes;
        boolean structured = structured(record);
        try {
            // Binary mode: attributes from the headers, data left untouched until the event matches.
            attributes = KafkaMessageFactory.createReader(record.headers(), structured ? record.value() : null)
                    .toEvent();
        } catch (RuntimeException e) {
            LOG.warnf("trigger %s/%s: skipping %s-%d@%d, not a CloudEvent: %s", trigger.namespace(), trigger.name(),
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return null;
        }
        boolean wanted;
        try {
            wanted = filter.test(attributes);
        } catch (RuntimeException e) {
            // A filter that cannot evaluate an event does not match it (as Knative), and never stops the trigger.
            LOG.warnf("trigger %s/%s: filter failed on event %s, passing over it: %s", trigger.namespace(),
                    trigger.name(), attributes.getId(), e);
            wanted = false;
        }
        if (!wanted) {
            onFiltered.run();
            return null;
        }
        byte[] data = record.value();
        if (structured || data == null || data.length == 0) {
            return attributes;
        }
        return CloudEventBuilder.from(attributes).withData(data).build();
    }

    private static boolean structured(ConsumerRecord<String, byte[]> record) {
        Header contentType = record.headers().lastHeader("content-type");
        return contentType != null && contentType.value() != null
                && new String(contentType.value(), java.nio.charset.StandardCharsets.UTF_8)
                        .startsWith("application/cloudevents");
    }

    private static long size(ConsumerRecord<String, byte[]> record) {
        long bytes = EVENT_OVERHEAD_BYTES + Math.max(0, record.serializedValueSize())
                + Math.max(0, record.serializedKeySize());
        for (Header h : record.headers()) {
            bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return bytes;
    }
}
