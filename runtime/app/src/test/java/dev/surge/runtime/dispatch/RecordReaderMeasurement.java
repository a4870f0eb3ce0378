package dev.surge.runtime.dispatch;

import dev.surge.core.filter.TriggerFilter;
import dev.surge.core.resource.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A quick measurement, not a test (timings are never asserted): reading and filtering records the way the
 * dispatcher did before (the whole event, data included, decoded for the filter) against {@link RecordReader}
 * (the filter sees the headers only; data attached to matching events alone). One event in ten matches,
 * data is 1 KiB of JSON. Prints the best ns per record of each over the rounds (the least disturbed by other
 * work on a shared machine) and their ratio.
 *
 * <pre>java -cp runtime/app/target/test-classes:runtime/app/target/classes:$(deps) dev.surge.runtime.dispatch.RecordReaderMeasurement</pre>
 */
public final class RecordReaderMeasurement {
    public static void main(String[] args) {
        int n = 100_000;
        String json = "{\"order\":\"" + "x".repeat(1000) + "\"}";
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CloudEvent e = io.cloudevents.core.builder.CloudEventBuilder.v1(
                    TriggerDispatcherTest.event("e" + i, i % 10 == 0 ? "want.order" : "skip.audit"))
                    .withData(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
            records.add(TriggerDispatcherTest.record(TriggerDispatcherTest.P0, i, e));
        }
        TriggerFilter filter = TriggerDispatcherTest.WANTED;
        Trigger trigger = TriggerDispatcherTest.trigger(filter, TriggerDispatcherTest.FAST);
        RecordReader reader = new RecordReader(trigger, filter::test, () -> { }, () -> { });
        long sink = 0;
        double bestBefore = Double.MAX_VALUE;
        double bestAfter = Double.MAX_VALUE;
        for (int round = 0; round < 20; round++) {
            long t0 = System.nanoTime();
            for (ConsumerRecord<String, byte[]> r : records) {
                CloudEvent e = KafkaMessageFactory.createReader(r).toEvent();
                sink += filter.test(e) ? e.getData().toBytes().length : 1;
            }
            long t1 = System.nanoTime();
            for (ConsumerRecord<String, byte[]> r : records) {
                RecordReader.Taken t = reader.read(new TopicPartition(r.topic(), r.partition()), r);
                sink += t != null ? t.event().getData().toBytes().length : 1;
            }
            long t2 = System.nanoTime();
            if (round >= 3) { // the first rounds warm the JIT up
                double before = (t1 - t0) / (double) n;
                double after = (t2 - t1) / (double) n;
                bestBefore = Math.min(bestBefore, before);
                bestAfter = Math.min(bestAfter, after);
            }
        }
        System.out.printf("best of 17 rounds: whole event %.0f ns/record, headers first %.0f ns/record, ratio %.2f%n",
                bestBefore, bestAfter, bestAfter / bestBefore);
        System.out.println("(checksum " + sink + ")");
    }
}
