package dev.surge.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.surge.runtime.kafka.BatchProducers.BatchNotWritten;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transaction of one batch against Kafka's MockProducer: commit, abort at the first failure, replacement. */
class BatchProducersTest {
    private final List<RefusingProducer> created = new CopyOnWriteArrayList<>();
    private final List<String> transactionalIds = new CopyOnWriteArrayList<>();
    private final BatchProducers pool = new BatchProducers(id -> {
        transactionalIds.add(id);
        RefusingProducer p = new RefusingProducer();
        created.add(p);
        return p;
    }, "test", 1);

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aBatchIsCommittedAsOneTransaction() {
        pool.write(records(5, -1)).join();
        RefusingProducer producer = created.get(0);
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.history()).hasSize(5);
        assertThat(transactionalIds).singleElement().asString().startsWith("test-").endsWith("-0");
    }

    @Test
    void aRefusedRecordAbortsTheTransactionAndNothingAfterItIsSent() {
        BatchNotWritten failed = failure(pool.write(records(5, 2))::join);
        assertThat(failed.outcome()).isEqualTo(BatchNotWritten.Outcome.NOT_VISIBLE);
        assertThat(failed.failedIndex()).isEqualTo(2);
        assertThat(failed.getCause()).isInstanceOf(RecordTooLargeException.class);
        RefusingProducer producer = created.get(0);
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(producer.history()).isEmpty();
        assertThat(producer.attempts).as("records handed to the producer").hasSize(3);

        pool.write(records(2, -1)).join();
        assertThat(created).as("an aborted transaction keeps its producer").hasSize(1);
    }

    @Test
    void anUndocumentedExceptionFailsItsBatchAndTheSlotGoesOnWithANewProducer() {
        pool.write(records(1, -1)).join();
        // Not a KafkaException: nothing in the transaction code expects it.
        created.get(0).commitTransactionException = new IllegalStateException("a bug somewhere below");
        BatchNotWritten failed = failure(pool.write(records(2, -1))::join);
        assertThat(failed.outcome()).isEqualTo(BatchNotWritten.Outcome.UNKNOWN);

        pool.write(records(3, -1)).join();
        assertThat(created).as("the slot replaced its producer").hasSize(2);
        assertThat(created.get(1).history()).hasSize(3);
    }

    @Test
    void aFencedProducerIsReplacedByANewOne() {
        pool.write(records(1, -1)).join();
        created.get(0).commitTransactionException = new ProducerFencedException("another producer took over");
        BatchNotWritten failed = failure(pool.write(records(2, -1))::join);
        assertThat(failed.outcome()).isEqualTo(BatchNotWritten.Outcome.NOT_VISIBLE);
        assertThat(failed.getCause()).isInstanceOf(ProducerFencedException.class);

        pool.write(records(3, -1)).join();
        assertThat(created).hasSize(2);
        assertThat(created.get(1).history()).hasSize(3);
        assertThat(transactionalIds).hasSize(2).allMatch(id -> id.equals(transactionalIds.get(0)));
    }

    @Test
    void waitingBatchesShareATransactionAndARefusedOneDoesNotTakeTheOthersDown() {
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 1);
        RefusingProducer producer = created.get(0);
        CountDownLatch gate = new CountDownLatch(1);
        producer.gate = gate;
        var first = pool.write(records(2, -1));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.waiting);
        var good = pool.write(records(3, -1));
        var refused = pool.write(records(3, 1));
        gate.countDown();

        first.join();
        good.join();
        BatchNotWritten failed = failure(refused::join);
        assertThat(failed.failedIndex()).as("index within its own batch").isEqualTo(1);
        assertThat(producer.history()).as("committed records").hasSize(5);
        assertThat(producer.attempts).as("the good batch was sent with the refused one, then again alone")
                .hasSize(2 + 3 + 2 + 3);
    }

    @Test
    void twoPoolsNeverShareATransactionalId() {
        try (BatchProducers other = new BatchProducers(id -> new MockProducer<>(), "test", 1)) {
            assertThat(other.transactionalIdPrefix()).isNotEqualTo(pool.transactionalIdPrefix()).startsWith("test-");
        }
    }

    private static BatchNotWritten failure(Runnable join) {
        CompletionException e = catchThrowableOfType(CompletionException.class, join::run);
        assertThat(e).as("the batch failed").isNotNull();
        assertThat(e.getCause()).isInstanceOf(BatchNotWritten.class);
        return (BatchNotWritten) e.getCause();
    }

    /** {@code n} records; the one at {@code large} (if any) is too large for the producer below. */
    private static List<ProducerRecord<String, byte[]>> records(int n, int large) {
        return IntStream.range(0, n).mapToObj(i -> new ProducerRecord<String, byte[]>("t", new byte[i == large ? 1000 : 10]))
                .toList();
    }

    /** A MockProducer that refuses records larger than 100 bytes, as a broker refuses records over max.message.bytes. */
    private static final class RefusingProducer extends MockProducer<String, byte[]> {
        final List<ProducerRecord<String, byte[]>> attempts = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate;
        volatile boolean waiting;

        RefusingProducer() {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            attempts.add(record);
            if (record.value().length > 100) {
                RecordTooLargeException e = new RecordTooLargeException("record of " + record.value().length + " bytes");
                callback.onCompletion(null, e);
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            return super.send(record, callback);
        }

        @Override
        public void beginTransaction() {
            CountDownLatch g = gate;
            if (g != null) {
                gate = null;
                waiting = true;
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.beginTransaction();
        }

        @Override
        public void close(Duration timeout) {
            // kept open so the test can inspect it
        }
    }
}
