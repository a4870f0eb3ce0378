package dev.surge.runtime.dispatch;

import dev.surge.core.KafkaNames;
import dev.surge.core.delivery.DeliveryPolicy;
import dev.surge.core.delivery.DeliveryPolicy.Decision;
import dev.surge.core.delivery.DeliveryPolicy.Outcome;
import dev.surge.core.delivery.OffsetTracker;
import dev.surge.core.delivery.PartitionQueue;
import dev.surge.core.resource.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The delivery state machine of one trigger. Every method runs on the trigger's own Vert.x context, so the
 * state needs no locks, and a slow target only ever holds up its own trigger.
 *
 * <p>Records arrive in batches from the consumer thread ({@link #accept}); each partition keeps its waiting
 * events in a {@link PartitionQueue} (which applies the trigger's ordering) and its unfinished offsets in an
 * {@link OffsetTracker}. Deliveries run concurrently up to {@code maxInFlight}; a retry is a timer, not a
 * blocked thread. Offsets are committed every {@value #COMMIT_INTERVAL_MS} ms up to the first unfinished
 * event of each partition. A partition whose queue passes {@value #HIGH_WATER} events is paused at the
 * consumer and resumed below {@value #LOW_WATER}, which bounds memory.
 */
final class DeliveryEngine {
    private static final Logger LOG = Logger.getLogger(DeliveryEngine.class);
    /** Enough waiting events that one partition alone keeps maxInFlight deliveries busy between fetches. */
    static final int HIGH_WATER = 5000;
    static final int LOW_WATER = 2500;
    static final long COMMIT_INTERVAL_MS = 200;
    /** While a function has no ready replica, look again this often; such waits are not attempts. */
    static final long TARGET_WAIT_MS = 25;
    /** Pause between tries to hand a reply or a dead letter to Kafka or a sink that failed. */
    static final long HANDOFF_RETRY_MS = 1000;

    /** What the engine asks of the consumer thread; implementations queue the request for it. */
    interface ConsumerControl {
        void pause(TopicPartition partition);

        void resume(TopicPartition partition);

        void commit(Map<TopicPartition, OffsetAndMetadata> offsets);
    }

    private final class Lane {
        final TopicPartition partition;
        final OffsetTracker offsets = new OffsetTracker();
        final PartitionQueue<Delivery> queue;
        long committed = -1;
        boolean paused;

        Lane(TopicPartition partition) {
            this.partition = partition;
            this.queue = new PartitionQueue<>(trigger.delivery().ordering());
        }
    }

    /** One event on its way to the target, through its attempts. */
    private static final class Delivery {
        final Lane lane;
        final long offset;
        final String key;
        final CloudEvent event;
        int attempts;
        URI target;
        DeliveryResult lastAnswer;

        Delivery(Lane lane, long offset, String key, CloudEvent event) {
            this.lane = lane;
            this.offset = offset;
            this.key = key;
            this.event = event;
        }
    }

    private final Trigger trigger;
    private final String topic;
    private final Context context;
    private final DeliveryPolicy policy;
    private final EventSender sender;
    private final FunctionEndpoints endpoints;
    private final Producer<String, byte[]> producer;
    private final ConsumerControl control;
    private final DeadLetters deadLetters;
    private final DispatchMeters meters;
    private final Map<TopicPartition, Lane> lanes = new LinkedHashMap<>();
    private volatile int inFlight;
    private boolean accepting = true;
    private boolean waitingForTarget;
    private Promise<Void> drained;
    private final long commitTimer;

    DeliveryEngine(Trigger trigger, Context context, EventSender sender, FunctionEndpoints endpoints,
            Producer<String, byte[]> producer, ConsumerControl control, MeterRegistry registry) {
        this.trigger = trigger;
        this.topic = KafkaNames.brokerTopic(trigger.namespace(), trigger.broker());
        this.context = context;
        this.policy = new DeliveryPolicy(trigger.delivery());
        this.sender = sender;
        this.endpoints = endpoints;
        this.producer = producer;
        this.control = control;
        this.meters = new DispatchMeters(trigger, registry, () -> inFlight);
        this.deadLetters = new DeadLetters(trigger, sender, endpoints, this::handOff, this::later, this.meters);
        this.commitTimer = context.owner().setPeriodic(COMMIT_INTERVAL_MS, id -> context.runOnContext(v -> commit()));
    }

    /**
     * A record read for this trigger: its event, or null when the trigger does not want it (not a CloudEvent,
     * or filtered out); such offsets only need to be marked done.
     */
    record Taken(TopicPartition partition, long offset, String key, CloudEvent event) {
    }

    /**
     * Reads and filters a batch. Thread-safe and free of engine state, so the consumer thread does it while
     * the engine's context is busy delivering the previous batch.
     */
    List<Taken> prepare(ConsumerRecords<String, byte[]> records) {
        List<Taken> out = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            CloudEvent event;
            try {
                event = KafkaMessageFactory.createReader(record).toEvent();
            } catch (RuntimeException e) {
                LOG.warnf("trigger %s: skipping %s-%d@%d, not a CloudEvent: %s", trigger.name(), record.topic(),
                        record.partition(), record.offset(), e.getMessage());
                event = null;
            }
            if (event != null && !trigger.filter().test(event)) {
                meters.filtered.increment();
                event = null;
            }
            out.add(new Taken(new TopicPartition(record.topic(), record.partition()), record.offset(), record.key(),
                    event));
        }
        return out;
    }

    /** Takes a prepared batch: queues what the trigger wants, marks the rest done. */
    void accept(List<Taken> batch) {
        Lane lane = null;
        for (Taken t : batch) {
            if (lane == null || !lane.partition.equals(t.partition())) {
                pauseIfFull(lane);
                lane = lanes.computeIfAbsent(t.partition(), Lane::new);
            }
            if (t.offset() < lane.offsets.committable()) {
                continue; // fetched again after a seek; already tracked
            }
            lane.offsets.track(t.offset());
            if (t.event() == null) {
                lane.offsets.done(t.offset());
            } else {
                lane.queue.add(new Delivery(lane, t.offset(), t.key(), t.event()), t.key());
            }
        }
        pauseIfFull(lane);
        pump();
    }

    private void pauseIfFull(Lane lane) {
        if (lane != null && !lane.paused && lane.queue.waiting() > HIGH_WATER) {
            lane.paused = true;
            control.pause(lane.partition);
        }
    }

    /** Starts what the ordering and the in-flight budget allow, partition by partition. */
    private void pump() {
        if (!accepting) {
            return;
        }
        // targetReady() first: for URL targets it is always true, and this runs after every delivery.
        if (!targetReady() && lanes.values().stream().anyMatch(l -> l.queue.waiting() > 0)) {
            endpoints.activate(trigger.namespace(), trigger.function());
            waitForTarget();
            return;
        }
        for (Lane lane : rotation()) {
            int budget = trigger.delivery().maxInFlight() - inFlight;
            if (budget <= 0) {
                break;
            }
            for (Delivery d : lane.queue.takeStartable(budget)) {
                inFlight++;
                attempt(d);
            }
            if (lane.paused && lane.queue.waiting() < LOW_WATER) {
                lane.paused = false;
                control.resume(lane.partition);
            }
        }
    }

    private int rotationStart;

    /** The lanes, starting one further each time, so that no partition always goes first. */
    private List<Lane> rotation() {
        List<Lane> all = new ArrayList<>(lanes.values());
        if (all.size() > 1) {
            java.util.Collections.rotate(all, -(rotationStart++ % all.size()));
        }
        return all;
    }

    private void waitForTarget() {
        if (!waitingForTarget) {
            waitingForTarget = true;
            context.owner().setTimer(TARGET_WAIT_MS, id -> context.runOnContext(v -> {
                waitingForTarget = false;
                pump();
            }));
        }
    }

    private boolean targetReady() {
        return trigger.uri() != null || endpoints.hasReady(trigger.namespace(), trigger.function());
    }

    private void attempt(Delivery d) {
        if (stale(d)) {
            return;
        }
        FunctionEndpoints.Lease lease = null;
        if (trigger.uri() != null) {
            d.target = trigger.uri();
        } else {
            Optional<FunctionEndpoints.Lease> slot = endpoints.acquire(trigger.namespace(), trigger.function());
            if (slot.isEmpty()) {
                // No replica ready, or all at their concurrency: wait for one; this is not an attempt.
                if (!endpoints.hasReady(trigger.namespace(), trigger.function())) {
                    endpoints.activate(trigger.namespace(), trigger.function());
                }
                later(TARGET_WAIT_MS, () -> attempt(d));
                return;
            }
            lease = slot.get();
            d.target = lease.uri();
        }
        d.attempts++;
        long start = System.nanoTime();
        FunctionEndpoints.Lease held = lease;
        sender.send(d.target, d.event, trigger.delivery().timeout()).onComplete(ar -> {
            if (held != null) {
                held.release();
            }
            meters.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (!stale(d)) {
                answered(d, ar);
            }
        });
    }

    private void answered(Delivery d, AsyncResult<DeliveryResult> ar) {
        Outcome outcome;
        if (ar.succeeded()) {
            DeliveryResult result = ar.result();
            d.lastAnswer = result;
            if (result.isSuccess()) {
                meters.delivered.increment();
                if (result.reply() != null) {
                    publishReply(d, result.reply());
                } else {
                    finish(d);
                }
                return;
            }
            outcome = new Outcome.Answered(result.status(), result.retryAfter());
        } else {
            d.lastAnswer = null;
            outcome = isTimeout(ar.cause()) ? new Outcome.TimedOut()
                    : new Outcome.Unreachable(String.valueOf(ar.cause().getMessage()));
            if (!targetReady()) {
                // The function went away (stopped or crashed): wait for a replica; this was no real attempt.
                d.attempts--;
                later(TARGET_WAIT_MS, () -> attempt(d));
                return;
            }
        }
        Decision decision = policy.decide(outcome, d.attempts);
        if (decision instanceof Decision.Retry retry) {
            meters.retried.increment();
            LOG.debugf("trigger %s: event %s %s, attempt %d; retrying in %s", trigger.name(), d.event.getId(),
                    outcome, d.attempts, retry.after());
            later(Math.max(1, retry.after().toMillis()), () -> attempt(d));
        } else if (decision instanceof Decision.DeadLetter dead) {
            deadLetters.send(d.event, d.target, d.lastAnswer, d.attempts, dead.reason())
                    .onComplete(x -> finish(d));
        }
    }

    /**
     * Publishes a function's reply to the broker; the event counts as finished only once Kafka acknowledged
     * it. A reply without a partition key inherits the one of the event it answers, so one key's chain of
     * events stays on one partition, in causal order.
     */
    private void publishReply(Delivery d, CloudEvent reply) {
        Object key = reply.getExtension("partitionkey");
        CloudEvent keyed = reply;
        if (key == null && d.event.getExtension("partitionkey") != null) {
            key = d.event.getExtension("partitionkey");
            keyed = CloudEventBuilder.from(reply).withExtension("partitionkey", key.toString()).build();
        }
        ProducerRecord<String, byte[]> record = KafkaMessageFactory
                .<String>createWriter(topic, key == null ? null : key.toString()).writeBinary(keyed);
        publish(d, record);
    }

    private void publish(Delivery d, ProducerRecord<String, byte[]> record) {
        handOff(record).onComplete(ar -> {
            if (ar.succeeded()) {
                meters.replies.increment();
                finish(d);
            } else {
                LOG.warnf("trigger %s: publishing the reply to event %s failed (%s); trying again", trigger.name(),
                        d.event.getId(), ar.cause().getMessage());
                later(HANDOFF_RETRY_MS, () -> publish(d, record));
            }
        });
    }

    /** Sends to Kafka and completes on this engine's context. */
    Future<Void> handOff(ProducerRecord<String, byte[]> record) {
        Promise<Void> promise = Promise.promise();
        try {
            producer.send(record, (metadata, error) -> context.runOnContext(v -> {
                if (error == null) {
                    promise.complete();
                } else {
                    promise.fail(error);
                }
            }));
        } catch (RuntimeException e) {
            promise.fail(e);
        }
        return promise.future();
    }

    private void finish(Delivery d) {
        if (stale(d)) {
            return;
        }
        d.lane.offsets.done(d.offset);
        d.lane.queue.finished(d.key);
        inFlight--;
        if (!accepting && inFlight == 0 && drained != null) {
            drained.tryComplete();
        }
        pump();
    }

    /** A delivery of a partition that was taken away from this dispatcher since it started. */
    private boolean stale(Delivery d) {
        return lanes.get(d.lane.partition) != d.lane;
    }

    void later(long ms, Runnable action) {
        context.owner().setTimer(ms, id -> context.runOnContext(v -> action.run()));
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Lane lane : lanes.values()) {
            long c = lane.offsets.committable();
            if (c > lane.committed) {
                offsets.put(lane.partition, new OffsetAndMetadata(c));
                lane.committed = c;
            }
        }
        if (!offsets.isEmpty()) {
            control.commit(offsets);
        }
    }

    /** The partitions are taken away: forget them and return what to commit for them. */
    Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Lane lane = lanes.remove(tp);
            if (lane != null) {
                if (lane.offsets.committable() >= 0) {
                    offsets.put(tp, new OffsetAndMetadata(lane.offsets.committable()));
                }
                inFlight -= lane.queue.inFlight();
                lane.queue.clear();
            }
        }
        return offsets;
    }

    /**
     * Stops starting deliveries and waits up to {@code grace} for those in flight; completes with the offsets
     * to commit last.
     */
    Future<Map<TopicPartition, OffsetAndMetadata>> drain(Duration grace) {
        accepting = false;
        drained = Promise.promise();
        if (inFlight == 0) {
            drained.tryComplete();
        } else {
            context.owner().setTimer(Math.max(1, grace.toMillis()), id -> context.runOnContext(v -> drained.tryComplete()));
        }
        return drained.future().map(v -> {
            context.owner().cancelTimer(commitTimer);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            lanes.forEach((tp, lane) -> {
                if (lane.offsets.committable() >= 0) {
                    offsets.put(tp, new OffsetAndMetadata(lane.offsets.committable()));
                }
            });
            return offsets;
        });
    }

    int inFlight() {
        return inFlight;
    }

    static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.util.concurrent.TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }
}
