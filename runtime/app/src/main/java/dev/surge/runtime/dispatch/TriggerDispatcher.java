package dev.surge.runtime.dispatch;

import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Trigger;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs one trigger: a Kafka consumer in the trigger's own group ({@code surge.<namespace>.<trigger>}) on a
 * thread of its own, feeding a {@link DeliveryEngine} on a Vert.x context of its own. The consumer thread
 * is the only one that touches the consumer: it polls, parses and filters, hands batches to the engine (at
 * most two on their way, so they never pile up), and carries out the engine's pause, resume and commit
 * requests.
 *
 * <p>At-least-once: offsets are committed only past events that were delivered, dead-lettered or filtered
 * out. On {@link #close()} the engine stops starting deliveries, waits for those in flight, and the last
 * offsets are committed before the consumer leaves its group.
 */
public final class TriggerDispatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TriggerDispatcher.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(10);

    private final Trigger trigger;
    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Context context;
    private final DeliveryEngine engine;
    private final Queue<Consumer<KafkaConsumer<String, byte[]>>> requests = new ConcurrentLinkedQueue<>();
    private static final int HANDOFFS = 2;
    private final java.util.concurrent.Semaphore handoffs = new java.util.concurrent.Semaphore(HANDOFFS);
    private final Thread thread;
    private volatile boolean running = true;

    public TriggerDispatcher(Trigger trigger, Map<String, Object> kafkaClientProperties, Producer<String, byte[]> producer,
            EventSender sender, FunctionEndpoints endpoints, MeterRegistry registry, Vertx vertx) {
        this.trigger = trigger;
        this.topic = KafkaNames.brokerTopic(trigger.namespace(), trigger.broker());
        Map<String, Object> props = new java.util.HashMap<>(kafkaClientProperties);
        props.putAll(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.GROUP_ID_CONFIG, KafkaNames.triggerGroup(trigger.namespace(), trigger.name()),
                ConsumerConfig.CLIENT_ID_CONFIG, "surge-dispatcher-" + trigger.namespace() + "-" + trigger.name(),
                // Static membership: a runtime restarted after a crash takes its partitions back at once
                // instead of waiting out the dead member's session (45 s). One dispatcher per trigger, as
                // local mode runs; several dispatcher processes per trigger will need distinct ids.
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "surge-dispatcher-" + trigger.namespace() + "-" + trigger.name(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A new trigger sees every event its broker still retains: nothing posted before the
                // trigger's group first joined is silently skipped.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // Large fetches per partition: when one partition is left of a backlog, it alone must keep
                // the deliveries busy (no slow tail).
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024));
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        // A context of its own: the engine's callbacks never queue behind another trigger's.
        this.context = vertx.getOrCreateContext();
        this.engine = onContext(() -> new DeliveryEngine(trigger, context, sender, endpoints, producer,
                new DeliveryEngine.ConsumerControl() {
                    @Override
                    public void pause(TopicPartition partition) {
                        requests.add(c -> c.pause(List.of(partition)));
                    }

                    @Override
                    public void resume(TopicPartition partition) {
                        requests.add(c -> {
                            if (c.assignment().contains(partition)) {
                                c.resume(List.of(partition));
                            }
                        });
                        // The engine is running dry: do not let the request wait out a poll.
                        consumer.wakeup();
                    }

                    @Override
                    public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                        requests.add(c -> c.commitAsync(offsets, (o, e) -> {
                            if (e != null) {
                                LOG.debugf("trigger %s: commit failed, a later one will cover it: %s", trigger.name(),
                                        e.getMessage());
                            }
                        }));
                    }
                }, registry));
        this.thread = new Thread(this::run, "surge-trigger-" + trigger.namespace() + "-" + trigger.name());
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    consumer.commitSync(onContext(() -> engine.revoke(partitions)));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            while (running) {
                for (Consumer<KafkaConsumer<String, byte[]>> r; (r = requests.poll()) != null;) {
                    r.accept(consumer);
                }
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    continue; // a resume request, or close(): the loop condition tells which
                }
                if (!records.isEmpty()) {
                    List<DeliveryEngine.Taken> batch = engine.prepare(records);
                    // At most HANDOFFS batches between the threads: the consumer reads and parses the next
                    // batch while the engine takes the previous one, and memory stays bounded.
                    handoffs.acquire();
                    context.runOnContext(v -> {
                        try {
                            engine.accept(batch);
                        } finally {
                            handoffs.release();
                        }
                    });
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer up outside poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "trigger %s/%s stopped", trigger.namespace(), trigger.name());
        } finally {
            try {
                handoffs.acquireUninterruptibly(HANDOFFS); // every batch handed over is in the engine
                Map<TopicPartition, OffsetAndMetadata> last = onContextFuture(() -> engine.drain(DRAIN_GRACE));
                for (Consumer<KafkaConsumer<String, byte[]>> r; (r = requests.poll()) != null;) {
                    r.accept(consumer);
                }
                if (!last.isEmpty()) {
                    consumer.commitSync(last, Duration.ofSeconds(5));
                }
            } catch (RuntimeException e) {
                LOG.warnf("trigger %s: last commit failed; uncommitted events will be delivered again: %s",
                        trigger.name(), e.getMessage());
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }

    /** Runs {@code action} on the engine's context and waits for its result. */
    private <T> T onContext(java.util.function.Supplier<T> action) {
        return onContextFuture(() -> Future.succeededFuture(action.get()));
    }

    private <T> T onContextFuture(java.util.function.Supplier<Future<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.get().onComplete(ar -> {
                    if (ar.succeeded()) {
                        result.complete(ar.result());
                    } else {
                        result.completeExceptionally(ar.cause());
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(DRAIN_GRACE.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("trigger " + trigger.name() + ": " + e.getMessage(), e);
        }
    }

    public Trigger trigger() {
        return trigger;
    }

    /** Whether the consumer loop runs. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops polling, lets deliveries in flight finish (up to 10 s), commits, and leaves the group. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(DRAIN_GRACE.toMillis() + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
