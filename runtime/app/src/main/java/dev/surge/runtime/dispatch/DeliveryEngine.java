package dev.surge.runtime.dispatch;

import dev.surge.core.resource.Trigger;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The delivery state machine of one trigger, a thin coordinator of its {@link Lanes} (partitions, offsets,
 * byte bounds), {@link Attempts} (sending, retries, dead letters, replies) and {@link CommitSchedule} (what
 * to commit when, with the backlog as metadata). Every method runs on the trigger's own Vert.x context, so
 * the state needs no locks, and a slow target only ever holds up its own trigger.
 *
 * <p>Deliveries run concurrently up to {@code maxInFlight}; offsets are committed every
 * {@value #COMMIT_INTERVAL_MS} ms up to the first unfinished event of each partition. Once stopped, no
 * timer of the engine does anything.
 */
final class DeliveryEngine implements Attempts.Engine {
    static final long COMMIT_INTERVAL_MS = 200;

    /** What the engine asks of the consumer thread; implementations queue the request for it. */
    interface ConsumerControl {
        void pause(TopicPartition partition);

        void resume(TopicPartition partition);

        void commit(Map<TopicPartition, OffsetAndMetadata> offsets);
    }

    /** Where the consumer stands on one partition after a poll: its position and the events after it. */
    record Progress(long position, long unread) {
    }

    /** How many events of one partition the consumer read, and how many of them the trigger wants. */
    record Read(int matched, int read) {
        Read plus(Read other) {
            return new Read(matched + other.matched, read + other.read);
        }
    }

    /**
     * What the consumer read since its last hand-over: the events the trigger wants, in order; how many were
     * read per partition (the rest were passed over); and its progress on its partitions afterwards. Events
     * passed over are not handed over one by one: the progress says that everything below the position is read.
     */
    record Batch(List<RecordReader.Taken> taken, Map<TopicPartition, Read> read, Map<TopicPartition, Progress> progress) {
    }

    private final Trigger trigger;
    private final Context context;
    private final ConsumerControl control;
    private final Lanes lanes;
    private final Attempts attempts;
    private final CommitSchedule commits = new CommitSchedule();
    private final Producer<String, byte[]> producer;
    private volatile int inFlight;
    private volatile long matchedBacklog;
    private boolean accepting = true;
    private boolean stopped;
    private boolean waitingForTarget;
    private Promise<Void> drained;
    private final long commitTimer;

    DeliveryEngine(Trigger trigger, Context context, EventSender sender, FunctionEndpoints endpoints,
            Producer<String, byte[]> producer, ConsumerControl control, DispatchMeters meters, long partitionBytes,
            long triggerBytes) {
        this.trigger = trigger;
        this.context = context;
        this.producer = producer;
        this.control = control;
        this.lanes = new Lanes(trigger.delivery().ordering(), partitionBytes, triggerBytes);
        DeadLetters deadLetters = new DeadLetters(trigger, sender, endpoints, this::handOff, this::later, meters);
        this.attempts = new Attempts(trigger, sender, endpoints, deadLetters, this::handOff, meters, this);
        this.commitTimer = context.owner().setPeriodic(COMMIT_INTERVAL_MS, id -> context.runOnContext(v -> {
            if (!stopped) {
                commit();
            }
        }));
    }

    /** Takes what the consumer read: queues what the trigger wants; what it passed over is done by the progress. */
    void accept(Batch batch) {
        if (stopped) {
            return;
        }
        Lanes.Lane lane = null;
        for (RecordReader.Taken t : batch.taken()) {
            if (lane == null || !lane.partition.equals(t.partition())) {
                lane = lanes.lane(t.partition());
            }
            lanes.take(lane, t.offset(), new Delivery(lane, t.offset(), t.key(), t.event(), t.bytes()));
        }
        batch.read().forEach((tp, r) -> lanes.lane(tp).matchRatio.observe(r.matched(), r.read()));
        batch.progress().forEach((tp, p) -> {
            // Positions come after the records they follow (one context, in order), so nothing below is unread:
            // the events passed over below the position are done.
            Lanes.Lane l = lanes.lane(tp);
            l.offsets.advanceTo(p.position());
            l.unread = p.unread();
        });
        for (Lanes.Lane full : lanes.toPause()) {
            control.pause(full.partition);
        }
        pump();
    }

    /** Starts what the ordering and the in-flight budget allow, partition by partition. */
    private void pump() {
        if (!accepting || stopped) {
            return;
        }
        // targetReady() first: for URL targets it is always true, and this runs after every delivery.
        if (!attempts.targetReady() && lanes.anyWaiting()) {
            // Only matching events wait in lanes: what the filter passed over never activates a function.
            attempts.activateTarget();
            waitForTarget();
            return;
        }
        for (Lanes.Lane lane : lanes.rotation()) {
            int budget = trigger.delivery().maxInFlight() - inFlight;
            if (budget <= 0) {
                break;
            }
            for (Delivery d : lane.queue.takeStartable(budget)) {
                inFlight++;
                attempts.start(d);
            }
        }
    }

    private void waitForTarget() {
        if (!waitingForTarget) {
            waitingForTarget = true;
            later(Attempts.TARGET_WAIT_MS, () -> {
                waitingForTarget = false;
                pump();
            });
        }
    }

    @Override
    public boolean owns(Delivery d) {
        return !stopped && !d.finished && lanes.holds(d);
    }

    @Override
    public void finished(Delivery d) {
        if (!owns(d)) {
            return;
        }
        d.finished = true;
        lanes.finish(d);
        inFlight--;
        if (!accepting && inFlight == 0 && drained != null) {
            drained.tryComplete();
        }
        for (Lanes.Lane lane : lanes.toResume()) {
            control.resume(lane.partition);
        }
        pump();
    }

    @Override
    public void later(long ms, Runnable action) {
        if (stopped) {
            return;
        }
        context.owner().setTimer(Math.max(1, ms), id -> context.runOnContext(v -> {
            if (!stopped) {
                action.run();
            }
        }));
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

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> due = commits.due(lanes.all());
        if (!due.isEmpty()) {
            control.commit(due);
        }
        matchedBacklog = lanes.matchedBacklog();
    }

    /** Commits of these offsets failed: those of partitions still held go again at the next tick. */
    void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commits.failed(offsets);
    }

    /** The cluster refused these commits' metadata as too long: offsets and backlog alone from now on. */
    void commitMetadataTooLarge(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commits.withoutFinishedOffsets();
        commits.failed(offsets);
    }

    /** The partitions are revoked: forget them and return what to commit for them before they go. */
    Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> partitions) {
        List<Lanes.Lane> removed = lanes.remove(partitions);
        Map<TopicPartition, OffsetAndMetadata> last = commits.last(removed);
        forget(partitions, removed);
        return last;
    }

    /** The partitions are lost (another member may own them already): forget them, commit nothing. */
    void lose(Collection<TopicPartition> partitions) {
        forget(partitions, lanes.remove(partitions));
    }

    private void forget(Collection<TopicPartition> partitions, List<Lanes.Lane> removed) {
        commits.forget(partitions);
        for (Lanes.Lane lane : removed) {
            inFlight -= lane.queue.inFlight();
            lane.queue.clear();
        }
        if (!accepting && inFlight == 0 && drained != null) {
            drained.tryComplete();
        }
        matchedBacklog = lanes.matchedBacklog();
    }

    /**
     * Stops starting deliveries and waits up to {@code grace} for those in flight; then stops and completes
     * with the offsets to commit last.
     */
    Future<Map<TopicPartition, OffsetAndMetadata>> drain(Duration grace) {
        accepting = false;
        drained = Promise.promise();
        if (inFlight == 0 || stopped) {
            drained.tryComplete();
        } else {
            context.owner().setTimer(Math.max(1, grace.toMillis()), id -> context.runOnContext(v -> drained.tryComplete()));
        }
        return drained.future().map(v -> stop());
    }

    /** Stops at once (deliveries in flight are left to a later run); returns the offsets to commit last. */
    Map<TopicPartition, OffsetAndMetadata> stop() {
        accepting = false;
        stopped = true;
        context.owner().cancelTimer(commitTimer);
        return commits.last(lanes.all());
    }

    int inFlight() {
        return inFlight;
    }

    /** Matching events not finished, read or not, as of the last commit tick. Thread-safe. */
    long matchedBacklog() {
        return matchedBacklog;
    }
}
