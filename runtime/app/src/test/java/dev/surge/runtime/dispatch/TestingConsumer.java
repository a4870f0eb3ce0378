package dev.surge.runtime.dispatch;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Kafka's {@link MockConsumer} with what the real consumer does and the mock does not: a pending
 * {@code wakeup()} also interrupts {@code commitSync}; a poll without records blocks until records come, a
 * wakeup, or its timeout, instead of returning at once (so the loop does not spin); async commits can be made to fail; the rebalance listener
 * can be told that partitions are lost; the group can have offsets committed by an earlier member. Records every
 * commit that reached the broker.
 */
class TestingConsumer extends MockConsumer<String, byte[]> {
    final AtomicInteger asyncCommitsToFail = new AtomicInteger();
    final AtomicInteger failedCommits = new AtomicInteger();
    final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();
    final AtomicInteger wakeups = new AtomicInteger();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile ConsumerRebalanceListener listener;
    /** Offsets the group had before this consumer joined (the mock forgets commits made before subscribe). */
    volatile Map<TopicPartition, OffsetAndMetadata> committedEarlier = Map.of();

    TestingConsumer() {
        super("earliest");
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        this.listener = listener;
        super.subscribe(topics, listener);
        super.commitSync(committedEarlier);
    }

    /**
     * Like the real poll, blocks until records arrive, a wakeup comes, or the timeout passes, instead of
     * returning at once and letting the loop spin.
     */
    @Override
    public ConsumerRecords<String, byte[]> poll(Duration timeout) {
        wakeupPending.set(false);
        ConsumerRecords<String, byte[]> records = super.poll(timeout);
        if (records.isEmpty()) {
            synchronized (this) {
                try {
                    wait(Math.max(1, timeout.toMillis())); // addRecord and wakeup notify
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return records;
    }

    @Override
    public synchronized void addRecord(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
        super.addRecord(record);
        notifyAll();
    }

    @Override
    public synchronized void wakeup() {
        wakeupPending.set(true);
        wakeups.incrementAndGet();
        super.wakeup();
        notifyAll();
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        if (wakeupPending.getAndSet(false)) {
            throw new WakeupException();
        }
        super.commitSync(offsets);
        commits.add(Map.copyOf(offsets));
    }

    @Override
    public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        if (callback != null && asyncCommitsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failedCommits.incrementAndGet();
            callback.onComplete(offsets, new RebalanceInProgressException("a rebalance is in progress"));
            return;
        }
        super.commitAsync(offsets, callback);
        if (callback != null) { // the mock's commitSync comes here without one; it records for itself
            commits.add(Map.copyOf(offsets));
        }
    }

    /** As the real consumer does when its session timed out: the listener hears it, then they are gone. */
    void lose(Collection<TopicPartition> lost, Collection<TopicPartition> kept) {
        listener.onPartitionsLost(lost);
        super.rebalance(kept);
    }

    /** Whether a partition the consumer no longer holds was paused or resumed: the real one would throw. */
    @Override
    public synchronized void pause(Collection<TopicPartition> partitions) {
        if (!assignment().containsAll(partitions)) {
            throw new IllegalStateException("No current assignment for partitions " + partitions);
        }
        super.pause(partitions);
    }

    @Override
    public synchronized void resume(Collection<TopicPartition> partitions) {
        if (!assignment().containsAll(partitions)) {
            throw new IllegalStateException("No current assignment for partitions " + partitions);
        }
        super.resume(partitions);
    }
}
