package dev.surge.runtime.dispatch;

import dev.surge.core.KafkaNames;
import dev.surge.core.delivery.FinishedOffsets;
import dev.surge.core.resource.Trigger;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One run of a trigger's consumer: a Kafka consumer in the trigger's group, polled on the calling thread,
 * feeding a {@link DeliveryEngine} on a Vert.x context of its own. The polling thread is the only one that
 * touches the consumer: it polls, reads and filters, hands batches to the engine (at most two on their way,
 * so they never pile up), and carries out the engine's pause, resume and commit requests.
 *
 * <p>{@link #run()} returns after {@link #stop()} once deliveries in flight finished (up to a grace) and
 * the last offsets are committed; it throws on an unexpected error (of the consumer, or of the engine on
 * its context), after committing what is safe and closing the consumer, so that its supervisor
 * ({@link TriggerDispatcher}) starts a new run. A run is used once.
 */
final class ConsumerLoop {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration LAST_COMMIT = Duration.ofSeconds(5);
    /** Longest wait for the committed offsets of partitions just assigned (their finished offsets). */
    private static final Duration COMMITTED = Duration.ofSeconds(5);
    /** How often the progress goes to the engine while no record the trigger wants comes. */
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int HANDOFFS = 2;

    private final Trigger trigger;
    private final String topic;
    private final Consumer<String, byte[]> consumer;
    private final Context context;
    private final Function<DeliveryEngine.ConsumerControl, DeliveryEngine> engines;
    private final RecordReader reader;
    private final Duration drainGrace;
    private final Queue<Runnable> requests = new ConcurrentLinkedQueue<>();
    private final Semaphore handoffs = new Semaphore(HANDOFFS);
    private final Control control = new Control();
    /** Partitions whose position the consumer knows (records came from them): their progress is reported. */
    private final Set<TopicPartition> reading = new HashSet<>();
    /**
     * Per partition taken over, the events above its committed offset that were finished before (by this trigger's
     * last run or another dispatcher): passed over instead of delivered again. Polling thread only.
     */
    private final Map<TopicPartition, FinishedOffsets> finishedBefore = new HashMap<>();
    private volatile DeliveryEngine engine;
    private volatile Set<TopicPartition> assigned = Set.of();
    private volatile boolean running = true;
    private volatile boolean closing;
    private volatile Throwable failure;
    private long lastProgress;
    /** Read since the last hand-over: the deliveries, and per partition how much was read and matched. */
    private List<RecordReader.Taken> taken = new ArrayList<>();
    private Map<TopicPartition, DeliveryEngine.Read> readCounts = new HashMap<>();

    ConsumerLoop(Trigger trigger, Consumer<String, byte[]> consumer, Context context,
            Function<DeliveryEngine.ConsumerControl, DeliveryEngine> engines, RecordReader reader, Duration drainGrace) {
        this.trigger = trigger;
        this.topic = KafkaNames.brokerTopic(trigger.namespace(), trigger.broker());
        this.consumer = consumer;
        this.context = context;
        this.engines = engines;
        this.reader = reader;
        this.drainGrace = drainGrace;
        // An error escaping the engine's handlers is a bug of the engine, not of one event: restart the run.
        context.exceptionHandler(this::fail);
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        consumer.wakeup();
    }

    /** Polls until {@link #stop()}; throws what made the run fail. */
    void run() throws Exception {
        boolean failed = true;
        try {
            engine = onContext(() -> engines.apply(control));
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                checkFailure();
                runRequests();
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    continue; // stop(), a failure or a resume: the loop tells which
                }
                assigned = Set.copyOf(consumer.assignment());
                Read read = read(records);
                long now = System.nanoTime();
                // Only what the trigger wants is handed over at once; events it passes over are counted, and
                // the progress that marks them done goes with the next hand-over or within PROGRESS_EVERY.
                // A flood of events no filter matches so costs the engine's thread next to nothing.
                if (!taken.isEmpty() || now - lastProgress >= PROGRESS_EVERY_NANOS) {
                    lastProgress = now;
                    DeliveryEngine.Batch batch = new DeliveryEngine.Batch(taken, readCounts, progress());
                    taken = new ArrayList<>();
                    readCounts = new HashMap<>();
                    if (!handOff(batch)) {
                        break;
                    }
                }
                long pause = FetchPace.nanosAfter(read.records, read.bytes, read.matched, read.lagAfter);
                if (pause > 0 && running) {
                    LockSupport.parkNanos(pause);
                }
            }
            checkFailure();
            failed = false;
        } finally {
            shutdown(failed);
        }
    }

    private void checkFailure() throws Exception {
        Throwable t = failure;
        if (t instanceof Exception e) {
            throw e;
        } else if (t instanceof Error e) {
            throw e;
        }
    }

    /** What one poll read: records, their keys' and values' bytes, how many matched, what still waits after. */
    private record Read(int records, long bytes, int matched, long lagAfter) {
    }

    /** Reads a poll's records: keeps those the trigger wants and counts, per partition, what was read. */
    private Read read(ConsumerRecords<String, byte[]> records) {
        long bytes = 0;
        int matchedAll = 0;
        long lagAfter = 0;
        for (TopicPartition tp : records.partitions()) {
            reading.add(tp);
            List<ConsumerRecord<String, byte[]>> part = records.records(tp);
            int matched = 0;
            FinishedOffsets finished = finishedBefore.get(tp);
            for (ConsumerRecord<String, byte[]> record : part) {
                bytes += Math.max(0, record.serializedValueSize()) + Math.max(0, record.serializedKeySize());
                if (finished != null) {
                    if (record.offset() >= finished.end()) {
                        finishedBefore.remove(tp);
                        finished = null;
                    } else if (finished.contains(record.offset())) {
                        continue; // finished before the partition came here: passed over, done by the progress
                    }
                }
                RecordReader.Taken t = reader.read(tp, record);
                if (t != null) {
                    taken.add(t);
                    matched++;
                }
            }
            readCounts.merge(tp, new DeliveryEngine.Read(matched, part.size()), DeliveryEngine.Read::plus);
            matchedAll += matched;
            lagAfter += lag(tp);
        }
        return new Read(records.count(), bytes, matchedAll, lagAfter);
    }

    /** The records after the consumer's position in a partition, as of the last fetch; 0 when not known. */
    private long lag(TopicPartition tp) {
        try {
            return consumer.currentLag(tp).orElse(0);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /**
     * The consumer's position and the events after it, for the partitions it reads: a position also moves over
     * records that a poll does not return (transaction markers, aborted batches) or that the trigger passed
     * over, and the committed offset and backlog must follow.
     */
    private Map<TopicPartition, DeliveryEngine.Progress> progress() {
        reading.retainAll(assigned);
        Map<TopicPartition, DeliveryEngine.Progress> out = new HashMap<>();
        for (TopicPartition tp : reading) {
            try {
                long position = consumer.position(tp, Duration.ZERO);
                OptionalLong lag = consumer.currentLag(tp);
                out.put(tp, new DeliveryEngine.Progress(position, lag.orElse(0)));
            } catch (KafkaException | IllegalStateException | UnsupportedOperationException e) {
                // position not known right now: the next report will carry it
            }
        }
        return out;
    }

    /** Hands a batch to the engine; false when the run stopped while waiting for room. */
    private boolean handOff(DeliveryEngine.Batch batch) throws Exception {
        // At most HANDOFFS batches between the threads: the consumer reads and filters the next batch while
        // the engine takes the previous one, and memory stays bounded.
        while (!handoffs.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            checkFailure();
            if (!running) {
                return false; // nothing after this batch is handed over, so no offset is skipped
            }
        }
        context.runOnContext(v -> {
            try {
                engine.accept(batch);
            } finally {
                handoffs.release();
            }
        });
        return true;
    }

    /** Commits what is safe and leaves the group; after a failure without waiting for deliveries. */
    private void shutdown(boolean failed) {
        closing = true;
        Map<TopicPartition, OffsetAndMetadata> last = Map.of();
        try {
            if (engine != null) {
                if (failed) {
                    last = onContext(engine::stop);
                } else {
                    handoffs.tryAcquire(HANDOFFS, drainGrace.toMillis(), TimeUnit.MILLISECONDS);
                    last = onContextFuture(() -> engine.drain(drainGrace));
                }
            }
        } catch (Exception e) {
            LOG.warnf("trigger %s/%s: engine did not stop cleanly (%s); uncommitted events will be delivered again",
                    trigger.namespace(), trigger.name(), e.getMessage());
        }
        try {
            commitSync(assignedOnly(last));
        } finally {
            try {
                // A static member (group.instance.id) does not leave its group on close by default: its partitions
                // would wait for session.timeout.ms (45 s) before another dispatcher — the pod that replaces this
                // one in a rollout has another name — could take them.
                consumer.close(CloseOptions.timeout(LAST_COMMIT)
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (RuntimeException e) {
                LOG.warnf("trigger %s/%s: closing the consumer: %s", trigger.namespace(), trigger.name(), e.toString());
            }
        }
    }

    /**
     * Commits and waits. A pending {@code wakeup()} (from {@link #stop()}) makes the first try throw; it is
     * used up by that, so the commit is tried once more. A failure is logged: the events after the last
     * commit will be delivered again (at-least-once).
     */
    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        for (int tries = 1; ; tries++) {
            try {
                consumer.commitSync(offsets, LAST_COMMIT);
                return;
            } catch (WakeupException e) {
                if (tries >= 2) {
                    LOG.warnf("trigger %s/%s: last commit interrupted twice; events will be delivered again",
                            trigger.namespace(), trigger.name());
                    return;
                }
            } catch (KafkaException e) {
                // commitSync itself retries what is retriable (coordinator moved or busy, a lost connection) until
                // LAST_COMMIT runs out; what arrives here is a timeout after those retries or a failure that cannot
                // pass (the group moved the partitions on). The next owner starts at the last committed offset.
                LOG.warnf("trigger %s/%s: commit of %s failed (%s); those events will be delivered again",
                        trigger.namespace(), trigger.name(), offsets.keySet(), e.toString());
                return;
            }
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> assignedOnly(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Set<TopicPartition> now;
        try {
            now = consumer.assignment();
        } catch (RuntimeException e) {
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>(offsets);
        out.keySet().retainAll(now);
        return out;
    }

    /** Carries out the engine's requests; on the polling thread. */
    void runRequests() {
        for (Runnable r; (r = requests.poll()) != null;) {
            r.run();
        }
    }

    /** What the engine of this run asks of the consumer. */
    DeliveryEngine.ConsumerControl control() {
        return control;
    }

    /** Stops polling; {@link #run()} then drains, commits and returns. Thread-safe, idempotent. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    Set<TopicPartition> assigned() {
        return assigned;
    }

    long matchedBacklog() {
        DeliveryEngine e = engine;
        return e == null ? 0 : e.matchedBacklog();
    }

    int inFlight() {
        DeliveryEngine e = engine;
        return e == null ? 0 : e.inFlight();
    }

    /** The engine's requests, carried out on the polling thread before the next poll. */
    private final class Control implements DeliveryEngine.ConsumerControl {
        @Override
        public void pause(TopicPartition partition) {
            requests.add(() -> {
                // The partition may have been revoked since the engine asked: pausing it would throw.
                if (consumer.assignment().contains(partition)) {
                    consumer.pause(List.of(partition));
                }
            });
        }

        @Override
        public void resume(TopicPartition partition) {
            requests.add(() -> {
                if (consumer.assignment().contains(partition)) {
                    consumer.resume(List.of(partition));
                }
            });
            // With every partition paused the consumer waits out its whole poll for nothing; wake it so the
            // resumed partition is fetched now, not up to a poll later, while the deliveries run dry.
            consumer.wakeup();
        }

        @Override
        public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            requests.add(() -> {
                // A partition given to another member since must not get this member's commit.
                Map<TopicPartition, OffsetAndMetadata> held = assignedOnly(offsets);
                if (held.isEmpty()) {
                    return;
                }
                try {
                    consumer.commitAsync(held, (o, e) -> {
                        if (e instanceof OffsetMetadataTooLarge) {
                            LOG.warnf("trigger %s/%s: the cluster refused the finished offsets with a commit as too"
                                    + " long (offset.metadata.max.bytes); committing without them, so a crash may"
                                    + " deliver more events again", trigger.namespace(), trigger.name());
                            DeliveryEngine en = engine;
                            context.runOnContext(v -> en.commitMetadataTooLarge(held));
                        } else if (e != null) {
                            retryLater(held, e);
                        }
                    });
                } catch (RebalanceInProgressException | CommitFailedException | RetriableException e) {
                    retryLater(held, e);
                }
            });
        }

        private void retryLater(Map<TopicPartition, OffsetAndMetadata> offsets, Exception e) {
            LOG.debugf("trigger %s/%s: commit of %s failed (%s); trying again at the next tick", trigger.namespace(),
                    trigger.name(), offsets.keySet(), e.toString());
            DeliveryEngine en = engine;
            context.runOnContext(v -> en.commitFailed(offsets));
        }
    }

    /** What was read of partitions taken away and not handed over yet must not reach the engine. */
    private void forgetRead(Collection<TopicPartition> partitions) {
        reading.removeAll(partitions);
        finishedBefore.keySet().removeAll(partitions);
        readCounts.keySet().removeAll(partitions);
        taken.removeIf(t -> partitions.contains(t.partition()));
    }

    /** Runs on the polling thread, inside {@code poll}. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forgetRead(partitions);
            if (closing || partitions.isEmpty()) {
                return; // at close the last offsets are committed by shutdown()
            }
            Map<TopicPartition, OffsetAndMetadata> last = onContext(() -> engine.revoke(partitions));
            commitSync(last);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another member may own them already: forget them, and commit nothing for them.
            forgetRead(partitions);
            if (!partitions.isEmpty()) {
                onContext(() -> {
                    engine.lose(partitions);
                    return null;
                });
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.debugf("trigger %s/%s: assigned %s", trigger.namespace(), trigger.name(), partitions);
            if (!partitions.isEmpty()) {
                readFinishedBefore(partitions);
            }
        }
    }

    /**
     * Reads, with the committed offsets of partitions just assigned, the events above them that were finished
     * already (see {@link FinishedOffsets}). Without them (Kafka slow to answer, a commit of an older Surge) nothing
     * is skipped: those events are delivered again, as at-least-once allows.
     */
    private void readFinishedBefore(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = consumer.committed(Set.copyOf(partitions), COMMITTED);
        } catch (KafkaException e) { // a wakeup (stop, resume) or a timeout
            LOG.debugf("trigger %s/%s: finished offsets of %s not read (%s)", trigger.namespace(), trigger.name(),
                    partitions, e.toString());
            return;
        }
        committed.forEach((tp, om) -> {
            FinishedOffsets finished = om == null ? FinishedOffsets.NONE : FinishedOffsets.decode(om.offset(), om.metadata());
            if (!finished.isEmpty()) {
                finishedBefore.put(tp, finished);
                LOG.infof("trigger %s/%s: %s goes on from offset %d; %d events after it were finished before and are"
                        + " not delivered again", trigger.namespace(), trigger.name(), tp, om.offset(), finished.count());
            }
        });
    }

    /** Runs {@code action} on the engine's context and waits for its result. */
    private <T> T onContext(Supplier<T> action) {
        return onContextFuture(() -> Future.succeededFuture(action.get()));
    }

    private <T> T onContextFuture(Supplier<Future<T>> action) {
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
            return result.get(drainGrace.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("trigger " + trigger.namespace() + "/" + trigger.name() + ": "
                    + e.getMessage(), e);
        }
    }
}
