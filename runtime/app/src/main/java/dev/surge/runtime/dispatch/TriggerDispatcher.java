package dev.surge.runtime.dispatch;

import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Trigger;
import dev.surge.runtime.Metrics;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Delivers the events of one trigger: its own consumer group on the broker's topic, the trigger's filter,
 * then an HTTP delivery to the target. At-least-once: a partition's offset is committed only past events
 * that were delivered with a 2xx (and whose reply, if any, Kafka acknowledged) or that the filter passed
 * over. A failed delivery is retried with a growing pause of its partition, which keeps the consumer in
 * its group while it waits.
 */
public final class TriggerDispatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TriggerDispatcher.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(5);
    /** While a function has no ready replica, look again this often; such waits are not failures. */
    static final Duration TARGET_WAIT = Duration.ofMillis(100);
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private enum Outcome { DONE, RETRY, WAIT }

    private final Trigger trigger;
    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final EventSender sender;
    private final FunctionEndpoints endpoints;
    private final Thread thread;
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private final Map<TopicPartition, Integer> failures = new HashMap<>();
    private final Counter delivered;
    private final Counter retried;
    private final Counter filtered;
    private final Counter replies;
    private final Timer latency;
    private volatile boolean running = true;

    public TriggerDispatcher(Trigger trigger, String bootstrapServers, Producer<String, byte[]> producer,
            EventSender sender, FunctionEndpoints endpoints, MeterRegistry registry) {
        this.trigger = trigger;
        this.topic = KafkaNames.brokerTopic(trigger.namespace(), trigger.broker());
        this.producer = producer;
        this.sender = sender;
        this.endpoints = endpoints;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, KafkaNames.triggerGroup(trigger.namespace(), trigger.name()),
                ConsumerConfig.CLIENT_ID_CONFIG, "surge-dispatcher-" + trigger.namespace() + "-" + trigger.name(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A new trigger sees every event its broker still retains: nothing posted before the
                // trigger's group first joined is silently skipped.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500),
                new StringDeserializer(), new ByteArrayDeserializer());
        String ns = trigger.namespace();
        String name = trigger.name();
        delivered = Counter.builder(Metrics.DISPATCH_DELIVERED).tags("namespace", ns, "trigger", name).register(registry);
        retried = Counter.builder(Metrics.DISPATCH_RETRIED).tags("namespace", ns, "trigger", name).register(registry);
        filtered = Counter.builder(Metrics.DISPATCH_FILTERED).tags("namespace", ns, "trigger", name).register(registry);
        replies = Counter.builder(Metrics.DISPATCH_REPLIES).tags("namespace", ns, "trigger", name).register(registry);
        latency = Timer.builder(Metrics.DISPATCH_LATENCY).tags("namespace", ns, "trigger", name).register(registry);
        thread = new Thread(this::run, "surge-trigger-" + ns + "-" + name);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(resumeAt::remove);
                    partitions.forEach(failures::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                        Outcome outcome = running ? handle(record) : Outcome.WAIT;
                        if (outcome != Outcome.DONE) {
                            retryLater(tp, record.offset(), outcome);
                            break;
                        }
                        failures.remove(tp);
                        done.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
                resumeDue();
            }
        } catch (WakeupException e) {
            // stop() woke the consumer up
        } catch (RuntimeException e) {
            LOG.errorf(e, "trigger %s/%s stopped", trigger.namespace(), trigger.name());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private Outcome handle(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(record).toEvent();
        } catch (RuntimeException e) {
            LOG.warnf("trigger %s: skipping %s-%d@%d, not a CloudEvent: %s", trigger.name(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return Outcome.DONE;
        }
        if (!trigger.filter().test(event)) {
            filtered.increment();
            return Outcome.DONE;
        }
        Optional<URI> target = target();
        if (target.isEmpty()) {
            return Outcome.WAIT;
        }
        long start = System.nanoTime();
        try {
            DeliveryResult result = sender.send(target.get(), event, TIMEOUT).toCompletableFuture()
                    .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (!result.isSuccess()) {
                LOG.warnf("trigger %s: %s answered %d for event %s: %s", trigger.name(), target.get(), result.status(),
                        event.getId(), result.bodyStart());
                return Outcome.RETRY;
            }
            if (result.reply() != null) {
                publishReply(event, result.reply());
            }
            delivered.increment();
            return Outcome.DONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.WAIT;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warnf("trigger %s: delivering event %s to %s failed: %s", trigger.name(), event.getId(), target.get(),
                    cause);
            return Outcome.RETRY;
        }
    }

    private Optional<URI> target() {
        if (trigger.uri() != null) {
            return Optional.of(trigger.uri());
        }
        return endpoints.endpoint(trigger.namespace(), trigger.function());
    }

    /**
     * Publishes a function's reply to the broker and waits for Kafka's ack before the event counts as
     * delivered. A reply without a partition key inherits the one of the event it answers, so the events
     * of one key stay on one partition, in causal order, through a chain of functions.
     */
    private void publishReply(CloudEvent event, CloudEvent reply) throws ExecutionException, InterruptedException {
        Object key = reply.getExtension("partitionkey");
        if (key == null && event.getExtension("partitionkey") != null) {
            key = event.getExtension("partitionkey");
            reply = CloudEventBuilder.from(reply).withExtension("partitionkey", key.toString()).build();
        }
        ProducerRecord<String, byte[]> record = KafkaMessageFactory
                .<String>createWriter(topic, key == null ? null : key.toString()).writeBinary(reply);
        producer.send(record).get();
        replies.increment();
    }

    private void retryLater(TopicPartition tp, long offset, Outcome outcome) {
        consumer.seek(tp, offset);
        consumer.pause(List.of(tp));
        Duration delay = TARGET_WAIT;
        if (outcome == Outcome.RETRY) {
            int n = failures.merge(tp, 1, Integer::sum);
            retried.increment();
            delay = backoff(n);
        }
        resumeAt.put(tp, System.nanoTime() + delay.toNanos());
    }

    /** 100 ms, 200 ms, 400 ms … capped at 5 s: retries until the target answers, never giving up. */
    static Duration backoff(int failures) {
        long ms = FIRST_RETRY.toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(ms, MAX_RETRY.toMillis()));
    }

    private void resumeDue() {
        if (resumeAt.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        var due = resumeAt.entrySet().stream().filter(e -> e.getValue() - now <= 0).map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            due.forEach(resumeAt::remove);
            consumer.resume(due);
        }
    }

    public Trigger trigger() {
        return trigger;
    }

    /** Stops polling; waits for the delivery in progress, commits nothing past it, and leaves the group. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TIMEOUT.toMillis() + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
