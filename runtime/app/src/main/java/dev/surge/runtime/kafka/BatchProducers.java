package dev.surge.runtime.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.ArrayList;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jboss.logging.Logger;

/**
 * A small pool of transactional producers that write a batch of records atomically: one Kafka transaction per
 * batch, so a {@code read_committed} consumer sees all of its records or none.
 *
 * <p>Each slot is one thread with its own producer ({@code transactional.id} = prefix, a part unique to this
 * process, the slot number), because a producer runs one transaction at a time and its transaction calls block.
 * Callers never block: {@link #write} hands the batch to the next free slot. A slot's producer is initialised at
 * start and replaced after a fatal error (e.g. it was fenced).
 *
 * <p>Batches that wait while every slot is busy share a transaction (group commit): a transaction costs the
 * broker several writes whatever its size, so fewer, larger ones keep up with many clients. Each batch stays
 * all-or-nothing: when a record of one batch is refused, that batch fails and the others of its transaction are
 * written again, each in a transaction of its own.
 */
public final class BatchProducers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchProducers.class);

    private final Function<String, Producer<String, byte[]>> producers;
    private final String idPrefix;
    /** Most records one shared transaction collects from waiting batches. */
    static final int GROUP_RECORDS = 1000;
    /** Producer batch.size of the transactional producers unless the user's client settings say otherwise. */
    static final int DEFAULT_BATCH_BYTES = 128 * 1024;

    private final BlockingDeque<Batch> queue = new LinkedBlockingDeque<>();
    private final Thread[] slots;
    private volatile boolean closed;

    /**
     * @param producers creates the producer of a slot from its transactional.id (tests pass a MockProducer)
     * @param idPrefix  transactional.id prefix; a random part is added so two processes never fence each other
     * @param size      number of slots, i.e. transactions in flight at once
     */
    public BatchProducers(Function<String, Producer<String, byte[]>> producers, String idPrefix, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a pool of batch producers needs at least one slot, not " + size);
        }
        this.producers = producers;
        this.idPrefix = idPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.slots = new Thread[size];
        for (int i = 0; i < size; i++) {
            String id = this.idPrefix + "-" + i;
            slots[i] = new Thread(() -> run(id), "surge-batch-" + i);
            slots[i].setDaemon(true);
            slots[i].start();
        }
    }

    /**
     * Transactional producers with the user's client settings, configured as the plain one plus a
     * transactional.id.
     */
    public static BatchProducers of(KafkaClientSettings clients, int timeoutMs, Duration transactionTimeout,
            String idPrefix, int size) {
        return new BatchProducers(id -> {
            // Tuning below the user's settings (their value wins), like every other client of Surge's.
            Map<String, Object> own = new java.util.HashMap<>(KafkaCluster.producerConfig(timeoutMs));
            // An open transaction holds back read_committed consumers; if this process dies mid-transaction,
            // the broker aborts it after this time (nobody else uses this transactional.id to fence it).
            own.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
            own.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            Map<String, Object> config = clients.with(own);
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
            // Large batches: a transaction is flushed and committed as a whole, so fewer, fuller produce requests
            // cut its time (16 KiB gave 0.7x the events/s of 128 KiB on the 2-core machine). A record batch larger
            // than a topic's max.message.bytes is split and retried by the producer, so keep batch.size at or
            // below the smallest max.message.bytes of the brokers' topics; a user's batch.size wins.
            if (!clients.user().containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
                config.put(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_BYTES);
            }
            return new KafkaProducer<>(config, new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
        }, idPrefix, size);
    }

    /** The transactional.id prefix of this pool, unique to this process. */
    public String transactionalIdPrefix() {
        return idPrefix;
    }

    /**
     * Writes {@code records} in one transaction. The future completes once the transaction is committed, or
     * exceptionally with a {@link BatchNotWritten} that says whether the transaction was aborted (nothing is
     * visible) and which record failed.
     */
    public CompletableFuture<Void> write(List<ProducerRecord<String, byte[]>> records) {
        Batch batch = new Batch(records, new CompletableFuture<>());
        if (closed) {
            batch.result.completeExceptionally(new BatchNotWritten(BatchNotWritten.Outcome.NOT_STARTED, -1,
                    new IllegalStateException("the batch producers are closed")));
        } else {
            queue.add(batch);
        }
        return batch.result;
    }

    private void run(String transactionalId) {
        Slot slot = new Slot(transactionalId);
        // Initialise before the first batch arrives: the first initTransactions on a cluster creates the
        // transaction state topic, which can take longer than a request should wait.
        for (int attempt = 0; attempt < 5 && !closed && queue.isEmpty() && slot.ready() != null; attempt++) {
            LOG.debugf("batch producer %s not initialised yet", transactionalId);
        }
        while (!closed) {
            List<Batch> group;
            try {
                group = nextGroup();
            } catch (InterruptedException e) {
                break;
            }
            RuntimeException notReady = slot.ready();
            if (notReady != null) {
                for (Batch batch : group) {
                    batch.result.completeExceptionally(new BatchNotWritten(BatchNotWritten.Outcome.NOT_STARTED, -1,
                            notReady));
                }
            } else {
                boolean usable;
                try {
                    usable = writeGroup(slot.producer, group);
                } catch (RuntimeException e) {
                    // A bug or an exception Kafka does not document here: the slot lives on with a new producer,
                    // and no request of this group waits forever.
                    LOG.errorf(e, "batch producer %s failed unexpectedly; replacing it", transactionalId);
                    for (Batch batch : group) {
                        batch.result.completeExceptionally(new BatchNotWritten(BatchNotWritten.Outcome.UNKNOWN, -1, e));
                    }
                    usable = false;
                }
                if (!usable) {
                    slot.replace();
                }
            }
        }
        slot.replace();
        for (Batch left; (left = queue.poll()) != null; ) {
            left.result.completeExceptionally(new BatchNotWritten(BatchNotWritten.Outcome.NOT_STARTED, -1,
                    new IllegalStateException("the batch producers were closed")));
        }
    }

    /** The producer of one slot thread, created and initialised on demand. */
    private final class Slot {
        final String transactionalId;
        Producer<String, byte[]> producer;
        boolean initialised;

        Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }

        /** Null when the producer can begin a transaction, else why not. */
        RuntimeException ready() {
            if (initialised) {
                return null;
            }
            try {
                if (producer == null) {
                    producer = producers.apply(transactionalId);
                }
                producer.initTransactions();
                initialised = true;
                return null;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // Kafka allows calling initTransactions again after a timeout; the next batch does.
                return e;
            } catch (RuntimeException e) {
                replace();
                return e;
            }
        }

        void replace() {
            close(producer);
            producer = null;
            initialised = false;
        }
    }

    /** The next waiting batch and those queued behind it, up to {@link #GROUP_RECORDS} records. */
    private List<Batch> nextGroup() throws InterruptedException {
        Batch first = queue.take();
        List<Batch> group = new ArrayList<>(4);
        group.add(first);
        int records = first.records.size();
        for (Batch next; (next = queue.pollFirst()) != null; ) {
            if (records + next.records.size() > GROUP_RECORDS) {
                queue.offerFirst(next);
                break;
            }
            group.add(next);
            records += next.records.size();
        }
        return group;
    }

    /** Writes the batches in one transaction and completes each; false when the producer cannot be used any more. */
    private static boolean writeGroup(Producer<String, byte[]> producer, List<Batch> group) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (Batch batch : group) {
            records.addAll(batch.records);
        }
        Attempt attempt = transact(producer, records);
        if (attempt.committed()) {
            group.forEach(b -> b.result.complete(null));
            return true;
        }
        int owner = -1;
        int local = attempt.failedAt();
        for (int i = 0; i < group.size() && local >= 0; i++) {
            if (local < group.get(i).records.size()) {
                owner = i;
                break;
            }
            local -= group.get(i).records.size();
        }
        if (group.size() > 1 && owner >= 0 && attempt.usable() && attempt.outcome() == BatchNotWritten.Outcome.NOT_VISIBLE
                && attempt.cause() instanceof RecordTooLargeException) {
            // One batch's record was refused: that batch fails; the others were aborted with it, so each is
            // written again on its own.
            group.get(owner).result.completeExceptionally(new BatchNotWritten(attempt.outcome(), local, attempt.cause()));
            for (int i = 0; i < group.size(); i++) {
                if (i != owner && !writeGroup(producer, List.of(group.get(i)))) {
                    for (Batch left : group.subList(i + 1, group.size())) {
                        if (left != group.get(owner)) {
                            left.result.completeExceptionally(new BatchNotWritten(BatchNotWritten.Outcome.NOT_STARTED,
                                    -1, new IllegalStateException("the transactional producer failed")));
                        }
                    }
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).result.completeExceptionally(new BatchNotWritten(attempt.outcome(), i == owner ? local : -1,
                    attempt.cause()));
        }
        return attempt.usable();
    }

    /** What one transaction came to. */
    private record Attempt(boolean committed, BatchNotWritten.Outcome outcome, int failedAt, Throwable cause,
            boolean usable) {
        static final Attempt COMMITTED = new Attempt(true, null, -1, null, true);
    }

    private static Attempt transact(Producer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicInteger failedAt = new AtomicInteger(-1);
        boolean committing = false;
        try {
            producer.beginTransaction();
            // Stop at the first failure: what follows would be aborted anyway.
            for (int i = 0; i < records.size() && failure.get() == null; i++) {
                int index = i;
                producer.send(records.get(i), (metadata, error) -> {
                    if (error != null && failure.compareAndSet(null, error)) {
                        failedAt.set(index);
                    }
                });
            }
            if (failure.get() == null) {
                producer.flush();
            }
            if (failure.get() == null) {
                committing = true;
                producer.commitTransaction();
                return Attempt.COMMITTED;
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | InvalidProducerEpochException
                 | AuthorizationException | UnsupportedVersionException e) {
            // Fatal for this producer (Kafka's documented set): it cannot even abort; the broker aborts the
            // transaction when it times out or a new producer with this transactional.id initialises. A fenced
            // producer's transaction is aborted by the one that fenced it; after another fatal error during the
            // commit, the coordinator may have applied it: then nobody here knows.
            boolean fenced = e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException;
            return new Attempt(false, committing && !fenced ? BatchNotWritten.Outcome.UNKNOWN
                    : BatchNotWritten.Outcome.NOT_VISIBLE, failedAt.get(), e, false);
        } catch (KafkaException e) {
            failure.compareAndSet(null, e);
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            LOG.warnf("aborting a batch transaction failed (%s); replacing its producer", e.toString());
            // Before a commit was asked for, the transaction can only end aborted (a new producer with this
            // transactional.id aborts it, or the broker when it times out). A commit that timed out may still
            // have been applied by the coordinator: then nobody here knows.
            return new Attempt(false, committing ? BatchNotWritten.Outcome.UNKNOWN : BatchNotWritten.Outcome.NOT_VISIBLE,
                    failedAt.get(), failure.get(), false);
        }
        return new Attempt(false, BatchNotWritten.Outcome.NOT_VISIBLE, failedAt.get(), failure.get(), true);
    }

    private static void close(Producer<String, byte[]> producer) {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("closing a batch producer: %s", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread slot : slots) {
            slot.interrupt();
        }
        for (Thread slot : slots) {
            try {
                slot.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private record Batch(List<ProducerRecord<String, byte[]>> records, CompletableFuture<Void> result) {
    }

    /** A batch that was not committed; {@link #outcome()} says what readers can see of it. */
    public static final class BatchNotWritten extends RuntimeException {
        /** What a {@code read_committed} reader can see of the batch. */
        public enum Outcome {
            /** No transaction was begun: Kafka was not reachable, or the pool is closed. */
            NOT_STARTED,
            /** The transaction was aborted, or never committed: none of its records is visible. */
            NOT_VISIBLE,
            /** Kafka did not answer the commit: the batch may be visible as a whole, or not at all. */
            UNKNOWN
        }

        private final Outcome outcome;
        private final int failedIndex;

        BatchNotWritten(Outcome outcome, int failedIndex, Throwable cause) {
            super(cause == null ? "batch not written" : cause.getMessage(), cause, false, false);
            this.outcome = outcome;
            this.failedIndex = failedIndex;
        }

        public Outcome outcome() {
            return outcome;
        }

        /** Position in the batch of the record Kafka refused, or -1 when the failure was not one record's. */
        public int failedIndex() {
            return failedIndex;
        }
    }
}
