package dev.surge.runtime.dispatch;

import dev.surge.core.resource.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Turns a record of the broker's topic into what a trigger does with it. The filter sees a {@link HeaderView}
 * of the record's {@code ce_} headers; only a record that matches is read into a whole event, so the events
 * a trigger passes over cost the header reads its filter makes and nothing more. Thread-safe (no state): the consumer
 * thread runs it while the engine delivers the previous batch.
 */
final class RecordReader {
    private static final Logger LOG = Logger.getLogger(RecordReader.class);
    /** What an event costs in memory beyond its bytes on the wire (objects, queue entry), for the byte bounds. */
    static final int EVENT_OVERHEAD_BYTES = 256;

    /** A record this trigger wants: an event its filter accepted, to be delivered. */
    record Taken(TopicPartition partition, long offset, String key, CloudEvent event, long bytes) {
    }

    private final Trigger trigger;
    private final Predicate<CloudEvent> filter;
    private final Runnable onFiltered;
    private final Runnable onUnreadable;

    /**
     * @param onFiltered   called for each record the filter passes over
     * @param onUnreadable called for each record that is not a readable CloudEvent (it is logged and moved past)
     */
    RecordReader(Trigger trigger, Predicate<CloudEvent> filter, Runnable onFiltered, Runnable onUnreadable) {
        this.trigger = trigger;
        this.filter = filter;
        this.onFiltered = onFiltered;
        this.onUnreadable = onUnreadable;
    }

    /**
     * The record as a delivery of this trigger, or null when the trigger does not want it (not a CloudEvent,
     * or filtered out): then nothing is to be done with it but to move past it.
     */
    Taken read(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        CloudEvent event = matching(record);
        return event == null ? null : new Taken(partition, record.offset(), record.key(), event, size(record));
    }

    private CloudEvent matching(ConsumerRecord<String, byte[]> record) {
        HeaderView view = HeaderView.of(record.headers());
        if (view != null) {
            // Binary mode: the filter decides on the headers; only a match is read whole.
            return wants(view) ? full(record) : filteredOut();
        }
        CloudEvent event = full(record); // structured mode, or not a CloudEvent
        return event == null ? null : wants(event) ? event : filteredOut();
    }

    private boolean wants(CloudEvent event) {
        try {
            return filter.test(event);
        } catch (RuntimeException e) {
            // A filter that cannot evaluate an event does not match it (as Knative), and never stops the trigger.
            LOG.warnf("trigger %s/%s: filter failed on event %s, passing over it: %s", trigger.namespace(),
                    trigger.name(), event.getId(), e);
            return false;
        }
    }

    private CloudEvent filteredOut() {
        onFiltered.run();
        return null;
    }

    private CloudEvent full(ConsumerRecord<String, byte[]> record) {
        try {
            return KafkaMessageFactory.createReader(record).toEvent();
        } catch (RuntimeException e) {
            // Nothing to retry or dead-letter: without an event there is no delivery, and no attributes a
            // dead letter could keep. The position in the log says where to look (kcat -o <offset>).
            onUnreadable.run();
            LOG.warnf("trigger %s/%s: skipping %s-%d@%d, not a CloudEvent: %s", trigger.namespace(), trigger.name(),
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return null;
        }
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
