package dev.surge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.delivery.BackoffPolicy;
import dev.surge.core.delivery.DeadLetterSink;
import dev.surge.core.delivery.DeliverySpec;
import dev.surge.core.delivery.FinishedOffsets;
import dev.surge.core.delivery.Ordering;
import dev.surge.core.delivery.RestartBackoff;
import dev.surge.core.filter.TriggerFilter;
import dev.surge.core.resource.Metadata;
import dev.surge.core.resource.Trigger;
import dev.surge.core.scaling.PartitionBacklog;
import dev.surge.runtime.metrics.Metrics;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervised consumer loop and its engine against Kafka's {@link org.apache.kafka.clients.consumer.MockConsumer}
 * and {@link MockProducer}, a recording sender and a real Vert.x: no broker, no HTTP. Delivery is
 * at-least-once, so tests check that every event arrived at least once and report duplicates.
 */
class TriggerDispatcherTest {
    static final String TOPIC = "surge.test.events";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    static final String TARGET = "http://target.test/in";
    static final String DEAD_URI = "http://dead.test/letters";
    static final DeliverySpec FAST = new DeliverySpec(2, BackoffPolicy.LINEAR, Duration.ofMillis(5),
            Duration.ofMillis(20), Duration.ofSeconds(5), new DeadLetterSink.Topic("dead"), Ordering.UNORDERED, 16);
    static final TriggerFilter WANTED = e -> e.getType().startsWith("want");

    /** Fast restarts, and a short drain so that closing with deliveries held open does not wait 10 s. */
    static final DispatchLimits LIMITS = new DispatchLimits(16L * 1024 * 1024, 64L * 1024 * 1024,
            Duration.ofMillis(300), new RestartBackoff(Duration.ofMillis(10), Duration.ofMillis(100)));

    final Vertx vertx = Vertx.vertx();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TestingSender sender = new TestingSender();
    /** Kafka's mock, except that it refuses for good (as a too large record) any record of type {@code reply.huge}. */
    final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer()) {
        @Override
        public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                ProducerRecord<String, byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
            if ("reply.huge".equals(header(record, "ce_type"))) {
                var refused = new org.apache.kafka.common.errors.RecordTooLargeException(
                        "the message is larger than max.message.bytes");
                callback.onCompletion(null, refused);
                return java.util.concurrent.CompletableFuture.failedFuture(refused);
            }
            return super.send(record, callback);
        }
    };
    final List<TriggerDispatcher> dispatchers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        dispatchers.forEach(TriggerDispatcher::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void deliversEveryMatchingEventAndCommitsItsBacklogAsOffsetMetadata() {
        List<CloudEvent> filterSaw = new CopyOnWriteArrayList<>();
        TriggerFilter recording = e -> {
            filterSaw.add(e);
            return WANTED.test(e);
        };
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "e" + i;
            records.add(record(i % 2 == 0 ? P0 : P1, i / 2, event(id, i % 4 < 2 ? "want.order" : "skip.audit")));
            if (i % 4 < 2) {
                wanted.add(id);
            }
        }
        TestingConsumer consumer = consumer(records);
        TriggerDispatcher d = start(trigger(recording, FAST), () -> consumer);

        await().atMost(Duration.ofSeconds(10)).until(() -> wanted.stream().allMatch(id -> sender.count(TARGET, id) >= 1));
        System.out.printf("duplicates: %d%n", sender.sentTo(TARGET).size() - wanted.size());
        assertThat(sender.sentTo(TARGET)).allMatch(s -> s.event().getType().equals("want.order"));
        assertThat(sender.sentTo(TARGET).get(0).event().getData().toBytes())
                .isEqualTo("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        // The filter decided on the headers alone: it never saw data.
        assertThat(filterSaw).hasSize(40).allMatch(e -> e.getData() == null);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (TopicPartition tp : List.of(P0, P1)) {
                OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
                assertThat(committed).isNotNull();
                assertThat(committed.offset()).isEqualTo(20);
                // Read freely (never paused): nothing unread is estimated, so the ratio reported is 0.
                assertThat(PartitionBacklog.decode(committed.metadata())).contains(new PartitionBacklog(20, 0, 0.0));
            }
        });
        assertThat(d.matchedBacklog()).isZero();
        TriggerDispatcher.Status status = d.status();
        assertThat(status.state()).isEqualTo(TriggerDispatcher.State.RUNNING);
        assertThat(status.assignedPartitions()).containsExactly(TOPIC + "-0", TOPIC + "-1");
        assertThat(status.restarts()).isZero();
        // Every 2xx counts (a redelivery too), as surge_dispatch_delivered_total does; nothing was given up on.
        assertThat(status.delivered()).isEqualTo(sender.sentTo(TARGET).size()).isGreaterThanOrEqualTo(wanted.size());
        assertThat(status.deadLettered()).isEmpty();
        assertThat(d.isAlive()).isTrue();
    }

    @Test
    void aStuckMatchingEventHoldsTheOffsetButTheBacklogMovesOn() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(record(P0, 0, event("stuck", "want.order")));
        for (int i = 1; i < 10; i++) {
            records.add(record(P0, i, event("skip" + i, "skip.audit")));
        }
        sender.script = e -> Promise.<DeliveryResult>promise().future(); // never answers
        TestingConsumer consumer = consumer(records);
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            OffsetAndMetadata committed = consumer.committed(Set.of(P0)).get(P0);
            assertThat(committed).isNotNull();
            assertThat(committed.offset()).isZero();
            assertThat(PartitionBacklog.decode(committed.metadata())).contains(new PartitionBacklog(10, 1, 0.0));
            // What comes after the stuck event is finished (passed over), and the commit says so.
            FinishedOffsets finished = FinishedOffsets.decode(committed.offset(), committed.metadata());
            assertThat(finished.count()).isEqualTo(9);
            assertThat(finished.contains(0)).isFalse();
            assertThat(finished.contains(1) && finished.contains(9)).isTrue();
        });
        assertThat(d.matchedBacklog()).isEqualTo(1);
        assertThat(d.status().inFlight()).isEqualTo(1);
    }

    @Test
    void eventsFinishedBeforeThePartitionCameHereAreNotDeliveredAgain() {
        // The last commit of a dispatcher that crashed: e0 was in retry, e1-e3 were delivered after it, e4 was in
        // flight. Taking the partition over, this one delivers e0, e4 and what is new, not e1-e3 again.
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(record(P0, i, event("e" + i, "want.order")));
        }
        TestingConsumer consumer = consumer(records);
        consumer.committedEarlier = Map.of(P0, new OffsetAndMetadata(0, new PartitionBacklog(5, 2, 0.0).encode() + ";done=1+3"));
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);

        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset(consumer, P0) == 6);
        assertThat(List.of("e0", "e4", "e5")).allMatch(id -> sender.count(TARGET, id) == 1);
        assertThat(List.of("e1", "e2", "e3")).allMatch(id -> sender.count(TARGET, id) == 0);
        assertThat(d.status().delivered()).isEqualTo(3);
        assertThat(registry.find(Metrics.DISPATCH_FILTERED).counter())
                .as("not passed over by the filter: finished before").matches(c -> c == null || c.count() == 0);
    }

    @Test
    void anErrorOfThePollRestartsTheTriggerWithANewConsumerAndIsCounted() {
        TestingConsumer broken = consumer(List.of());
        broken.setPollException(new KafkaException("broker exploded"));
        TestingConsumer healthy = consumer(List.of(record(P0, 0, event("after-restart", "want.order"))));
        Queue<Consumer<String, byte[]>> consumers = new ArrayDeque<>(List.of(broken, healthy));
        TriggerDispatcher d = start(trigger(WANTED, FAST), consumers::poll);

        await().atMost(Duration.ofSeconds(10)).until(() -> sender.count(TARGET, "after-restart") >= 1);
        assertThat(broken.closed()).isTrue();
        assertThat(registry.get(Metrics.DISPATCH_RESTARTS).tags("namespace", "test", "trigger", "orders").counter()
                .count()).isEqualTo(1.0);
        TriggerDispatcher.Status status = d.status();
        assertThat(status.restarts()).isEqualTo(1);
        assertThat(status.lastError()).contains("broker exploded");
        assertThat(status.lastErrorAt()).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(d::isAlive);
    }

    @Test
    void controlCharactersAreEncodedOrDeadLetteredAndTheNextEventIsDelivered() {
        CloudEvent odd = CloudEventBuilder.v1(event("odd-ext", "want.order")).withExtension("myext", "a\u000bb \"x\" 5% é")
                .build();
        CloudEvent unencodable = CloudEventBuilder.v1(event("odd-type", "want.order"))
                .withDataContentType("text/plain\u000b").build();
        TestingConsumer consumer = consumer(List.of(record(P0, 0, odd), record(P0, 1, unencodable),
                record(P0, 2, event("next", "want.order"))));
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);

        await().atMost(Duration.ofSeconds(10)).until(() -> sender.count(TARGET, "next") >= 1);
        // Any String attribute travels, percent-encoded as the CloudEvents HTTP binding requires.
        assertThat(sender.sentTo(TARGET).stream().filter(s -> s.event().getId().equals("odd-ext")).findFirst()
                .orElseThrow().headers().get("ce-myext")).isEqualTo("a%0Bb%20%22x%22%205%25%20%C3%A9");
        // No Content-Type can hold a control character: dead-lettered at once, with why.
        ProducerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(10))
                .until(() -> deadLetter("odd-type"), r -> r != null);
        assertThat(header(dead, "ce_surgeerrorattempts")).isEqualTo("1");
        assertThat(header(dead, "ce_surgeerrorreason")).contains("cannot be encoded for HTTP").endsWith("not retryable");
        assertThat(sender.count(TARGET, "odd-type")).isZero();
        assertThat(d.status().deadLettered()).containsExactly(Map.entry("topic", 1L));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> committedOffset(consumer, P0) == 3);
    }

    @Test
    void aStackOverflowCausedByOneEventIsThatEventsFailureNotTheTriggers() {
        sender.script = e -> {
            if (e.getId().equals("deep")) {
                throw new StackOverflowError();
            }
            return Future.succeededFuture(TestingSender.OK);
        };
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("deep", "want.order")),
                record(P0, 1, event("after", "want.order"))));
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);

        ProducerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(10))
                .until(() -> deadLetter("deep"), r -> r != null);
        assertThat(header(dead, "ce_surgeerrorreason")).contains("StackOverflowError").endsWith("after 3 attempts");
        assertThat(sender.count(TARGET, "after")).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset(consumer, P0) == 2);
        assertThat(d.status().restarts()).as("the trigger was never restarted").isZero();
    }

    @Test
    void aSenderThatThrowsIsAFailedAttemptRetriedThenDeadLettered() {
        sender.script = e -> {
            if (e.getId().equals("once") && sender.count(TARGET, "once") == 1) {
                throw new IllegalStateException("connection pool closed");
            }
            if (e.getId().equals("always")) {
                throw new IllegalStateException("connection pool closed");
            }
            return Future.succeededFuture(TestingSender.OK);
        };
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("once", "want.order")),
                record(P1, 0, event("always", "want.order"))));
        start(trigger(WANTED, FAST), () -> consumer);

        ProducerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(10))
                .until(() -> deadLetter("always"), r -> r != null);
        assertThat(header(dead, "ce_surgeerrorreason"))
                .isEqualTo("failed (the sender threw java.lang.IllegalStateException: connection pool closed) after 3 attempts");
        assertThat(sender.count(TARGET, "always")).isEqualTo(3);
        assertThat(sender.count(TARGET, "once")).isGreaterThanOrEqualTo(2); // the throw, then the delivery
        assertThat(deadLetter("once")).isNull();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> committedOffset(consumer, P0) == 1 && committedOffset(consumer, P1) == 1);
    }

    @Test
    void aBugInHandlingOneEventsAnswerIsAFailedAttemptOfThatEventOnly() {
        // A 503 without its Retry-After field (null, where the contract says Optional) trips the engine up.
        sender.script = e -> Future.succeededFuture(e.getId().equals("trips")
                ? new DeliveryResult(503, null, new byte[0], null) : TestingSender.OK);
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("trips", "want.order")),
                record(P0, 1, event("fine", "want.order"))));
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);

        ProducerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(10))
                .until(() -> deadLetter("trips"), r -> r != null);
        // The first two answers failed in the engine and counted as failed attempts; the third reached the policy's
        // limit before the engine could trip again.
        assertThat(header(dead, "ce_surgeerrorreason")).isEqualTo("status 503 after 3 attempts");
        assertThat(sender.count(TARGET, "trips")).isEqualTo(3);
        assertThat(sender.count(TARGET, "fine")).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset(consumer, P0) == 2);
        assertThat(d.status().restarts()).as("one event never stops the trigger").isZero();
    }

    @Test
    void aReplyKafkaRefusesForGoodDeadLettersItsEventAndTheTriggerGoesOn() {
        CloudEvent huge = CloudEventBuilder.v1().withId("reply-1").withSource(URI.create("/fn")).withType("reply.huge")
                .build();
        sender.script = e -> Future.succeededFuture(e.getId().equals("big-reply")
                ? new DeliveryResult(200, huge, new byte[0], Optional.empty()) : TestingSender.OK);
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("big-reply", "want.order")),
                record(P0, 1, event("next", "want.order"))));
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);

        ProducerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(10))
                .until(() -> deadLetter("big-reply"), r -> r != null);
        assertThat(header(dead, "ce_surgeerrorreason")).contains("its reply was refused by Kafka")
                .contains("max.message.bytes");
        assertThat(sender.count(TARGET, "next")).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset(consumer, P0) == 2);
        assertThat(d.status().restarts()).isZero();
    }

    @Test
    void aReplyTheIngressWouldRefuseIsAFailedAttemptRetriedThenDeadLettered() {
        sender.script = e -> Future.succeededFuture(e.getId().equals("bad-reply")
                ? new DeliveryResult(200, null, new byte[0], Optional.empty(),
                        "attribute 'myext' contains a control character (U+000B)")
                : TestingSender.OK);
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("bad-reply", "want.order")),
                record(P0, 1, event("next", "want.order"))));
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);

        ProducerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(10))
                .until(() -> deadLetter("bad-reply"), r -> r != null);
        assertThat(header(dead, "ce_surgeerrorreason"))
                .isEqualTo("answered with an invalid reply (attribute 'myext' contains a control character (U+000B))"
                        + " after 3 attempts");
        assertThat(header(dead, "ce_surgeerrorcode")).isEqualTo("200");
        assertThat(sender.count(TARGET, "bad-reply")).isEqualTo(3);
        assertThat(sender.count(TARGET, "next")).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset(consumer, P0) == 2);
        assertThat(d.status().restarts()).isZero();
    }

    @Test
    void aDeadLetterToAUriSinkIsEncodedLikeADelivery() {
        sender.script = e -> Future.succeededFuture(e.getExtension("surgeerrorreason") == null
                ? new DeliveryResult(400, null, "no".getBytes(StandardCharsets.UTF_8), Optional.empty())
                : TestingSender.OK);
        DeliverySpec toUri = new DeliverySpec(2, BackoffPolicy.LINEAR, Duration.ofMillis(5), Duration.ofMillis(20),
                Duration.ofSeconds(5), new DeadLetterSink.Uri(URI.create(DEAD_URI)), Ordering.UNORDERED, 16);
        CloudEvent odd = CloudEventBuilder.v1(event("odd", "want.order")).withExtension("myext", "a\u000bb").build();
        TestingConsumer consumer = consumer(List.of(record(P0, 0, odd)));
        start(trigger(WANTED, toUri), () -> consumer);

        await().atMost(Duration.ofSeconds(10)).until(() -> !sender.sentTo(DEAD_URI).isEmpty());
        var dead = sender.sentTo(DEAD_URI).get(0);
        assertThat(dead.headers().get("ce-myext")).isEqualTo("a%0Bb");
        assertThat(dead.headers().get("ce-surgeerrorreason")).isEqualTo("status%20400,%20not%20retryable");
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset(consumer, P0) == 1);
    }

    @Test
    void aDeadLetterSinkThatRefusesForGoodDoesNotHoldThePartitionAndOneThatFailsForAWhileIsTriedAgain() {
        // Deliveries always 400 (not retryable): each event goes to the dead-letter URL at once. The sink refuses
        // "poison" for good (400) and answers 503 twice to "late" before it takes it.
        AtomicInteger lateTries = new AtomicInteger();
        sender.script = e -> {
            if (e.getExtension("surgeerrorreason") == null) {
                return Future.succeededFuture(new DeliveryResult(400, null, new byte[0], Optional.empty()));
            }
            if (e.getId().equals("poison")) {
                return Future.succeededFuture(new DeliveryResult(400, null, new byte[0], Optional.empty()));
            }
            return Future.succeededFuture(lateTries.incrementAndGet() <= 2
                    ? new DeliveryResult(503, null, new byte[0], Optional.empty()) : TestingSender.OK);
        };
        DeliverySpec toUri = new DeliverySpec(2, BackoffPolicy.LINEAR, Duration.ofMillis(5), Duration.ofMillis(20),
                Duration.ofSeconds(5), new DeadLetterSink.Uri(URI.create(DEAD_URI)), Ordering.ORDERED, 16);
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("poison", "want.order")),
                record(P0, 1, event("late", "want.order"))));
        TriggerDispatcher d = start(trigger(WANTED, toUri), () -> consumer);

        await().atMost(Duration.ofSeconds(15)).until(() -> committedOffset(consumer, P0) == 2);
        assertThat(lateTries.get()).isEqualTo(3);
        assertThat(d.status().deadLettered()).containsEntry("failed", 1L);
        assertThat(d.status().restarts()).isZero();
    }

    @Test
    void aFailedCommitIsSentAgainAtTheNextTick() {
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("a", "want.order")),
                record(P0, 1, event("b", "want.order"))));
        consumer.asyncCommitsToFail.set(3);
        start(trigger(WANTED, FAST), () -> consumer);

        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset(consumer, P0) == 2);
        assertThat(consumer.failedCommits.get()).isEqualTo(3);
    }

    @Test
    void lostPartitionsAreForgottenWithoutACommit() {
        // P1's answers come late: by then P1 is lost, and what finished there must not be committed.
        sender.script = e -> {
            if (!e.getId().startsWith("p1-")) {
                return Future.succeededFuture(TestingSender.OK);
            }
            Promise<DeliveryResult> late = Promise.promise();
            Vertx.currentContext().owner().setTimer(600, id -> late.complete(TestingSender.OK));
            return late.future();
        };
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("p0-a", "want.order")),
                record(P1, 0, event("p1-a", "want.order")), record(P1, 1, event("p1-b", "want.order"))));
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);

        await().atMost(Duration.ofSeconds(10)).until(() -> sender.count(TARGET, "p1-b") >= 1);
        consumer.schedulePollTask(() -> consumer.lose(List.of(P1), List.of(P0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.status().assignedPartitions().equals(List.of(TOPIC + "-0")));
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5))
                .until(() -> committedOffset(consumer, P1) <= 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> d.status().inFlight() == 0);
        assertThat(committedOffset(consumer, P0)).isEqualTo(1);
    }

    @Test
    void aRevokedPartitionCommitsUpToItsFirstUnfinishedEventBeforeItGoes() {
        // p1-b (offset 1 of P1) stays unanswered; the periodic commits all fail, so only the commit made at the
        // revocation can record P1's progress.
        List<Runnable> releases = new CopyOnWriteArrayList<>();
        sender.script = e -> {
            if (!e.getId().equals("p1-b")) {
                return Future.succeededFuture(TestingSender.OK);
            }
            Promise<DeliveryResult> held = Promise.promise();
            io.vertx.core.Context engineContext = Vertx.currentContext();
            releases.add(() -> engineContext.runOnContext(v -> held.tryComplete(TestingSender.OK)));
            return held.future();
        };
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("p0-a", "want.order")),
                record(P1, 0, event("p1-a", "want.order")), record(P1, 1, event("p1-b", "want.order")),
                record(P1, 2, event("p1-c", "want.order"))));
        consumer.asyncCommitsToFail.set(Integer.MAX_VALUE);
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);
        await().atMost(Duration.ofSeconds(10)).until(() -> sender.count(TARGET, "p1-c") >= 1
                && sender.count(TARGET, "p1-b") >= 1 && sender.count(TARGET, "p0-a") >= 1);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.status().assignedPartitions().equals(List.of(TOPIC + "-0")));
        // Everything before the unfinished p1-b is committed; p1-b and what follows go to P1's next owner.
        assertThat(committedOffsets(consumer, P1)).containsExactly(1L);

        // The late answer of p1-b belongs to a partition no longer held: nothing more is committed for P1.
        releases.forEach(Runnable::run);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> committedOffsets(consumer, P1).equals(List.of(1L)) && d.status().inFlight() == 0);
    }

    /** The offsets of {@code tp} in every commit that reached the broker, in order. */
    static List<Long> committedOffsets(TestingConsumer c, TopicPartition tp) {
        return c.commits.stream().filter(m -> m.containsKey(tp)).map(m -> m.get(tp).offset()).toList();
    }

    @Test
    void pausingOrResumingAPartitionNoLongerHeldIsIgnored() throws Exception {
        TestingConsumer consumer = consumer(List.of());
        consumer.subscribe(List.of(TOPIC));
        consumer.rebalance(List.of(P0));
        Trigger t = trigger(WANTED, FAST);
        ConsumerLoop loop = new ConsumerLoop(t, consumer, vertx.getOrCreateContext(), control -> null,
                new RecordReader(t, t.filter()::test, () -> { }, () -> { }), LIMITS.drainGrace());
        loop.control().pause(P1);
        loop.control().resume(P1);
        loop.control().commit(Map.of(P1, new OffsetAndMetadata(5)));
        loop.control().pause(P0);
        loop.runRequests();

        assertThat(consumer.paused()).containsExactly(P0);
        assertThat(consumer.committed(Set.of(P1)).get(P1)).isNull();
    }

    @Test
    void aWakeupPendingAtCloseStillCommitsTheLastOffsetsAndClosesTheConsumer() {
        TestingConsumer consumer = consumer(List.of(record(P0, 0, event("a", "want.order")),
                record(P0, 1, event("b", "want.order"))));
        consumer.asyncCommitsToFail.set(Integer.MAX_VALUE); // only the last, synchronous commit gets through
        TriggerDispatcher d = start(trigger(WANTED, FAST), () -> consumer);
        await().atMost(Duration.ofSeconds(10)).until(() -> sender.count(TARGET, "b") >= 1 && sender.count(TARGET, "a") >= 1);

        d.close();
        assertThat(consumer.closed()).isTrue();
        assertThat(consumer.commits).as("commits that reached the broker")
                .anyMatch(c -> c.containsKey(P0) && c.get(P0).offset() == 2);
        assertThat(d.status().state()).isEqualTo(TriggerDispatcher.State.STOPPED);
        assertThat(d.isAlive()).isFalse();
    }

    @Test
    void aPartitionIsPausedWhileItsWaitingEventsHoldTooManyBytes() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(record(P0, i, event("big" + i, "want.order")));
        }
        List<Promise<DeliveryResult>> held = new CopyOnWriteArrayList<>();
        sender.script = e -> {
            Promise<DeliveryResult> p = Promise.promise();
            held.add(p);
            return p.future();
        };
        TestingConsumer consumer = consumer(records);
        // Each event holds more than 256 bytes: 4 KiB per partition is a handful of events.
        start(trigger(WANTED, FAST), () -> consumer, 4096);

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.paused().contains(P0));
    }

    @Test
    void aPausedPartitionResumesOnceItsEventsAreDeliveredAndWakesTheConsumer() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(record(P0, i, event("big" + i, "want.order")));
        }
        // The target holds every answer (on the engine's context, where the sender is called) until released.
        List<Runnable> releases = new CopyOnWriteArrayList<>();
        sender.script = e -> {
            Promise<DeliveryResult> p = Promise.promise();
            io.vertx.core.Context engineContext = Vertx.currentContext();
            releases.add(() -> engineContext.runOnContext(v -> p.tryComplete(TestingSender.OK)));
            return p.future();
        };
        TestingConsumer consumer = consumer(records);
        start(trigger(WANTED, FAST), () -> consumer, 4096);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.paused().contains(P0));
        int wakeupsWhilePaused = consumer.wakeups.get();

        // The target answers from now on: what was held completes, the partition resumes, the rest comes.
        sender.script = e -> Future.succeededFuture(TestingSender.OK);
        releases.forEach(Runnable::run);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(records).allMatch(r -> sender.count(TARGET, "big" + r.offset()) >= 1, "every event at least once");
            assertThat(consumer.paused()).isEmpty();
        });
        // A resume wakes a consumer waiting in poll with every partition paused, rather than leaving the
        // deliveries dry until its poll times out.
        assertThat(consumer.wakeups.get()).isGreaterThan(wakeupsWhilePaused);
    }

    @Test
    void onlyAMatchingEventActivatesAFunctionAtZero() {
        java.util.concurrent.atomic.AtomicInteger activations = new java.util.concurrent.atomic.AtomicInteger();
        FunctionEndpoints atZero = new FunctionEndpoints() {
            @Override
            public Optional<Lease> acquire(String namespace, String function) {
                return Optional.empty();
            }

            @Override
            public boolean hasReady(String namespace, String function) {
                return false;
            }

            @Override
            public void activate(String namespace, String function) {
                activations.incrementAndGet();
            }
        };
        List<ConsumerRecord<String, byte[]>> flood = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            flood.add(record(P0, i, event("skip" + i, "skip.audit")));
        }
        TestingConsumer consumer = consumer(flood);
        Trigger toFunction = new Trigger(new Metadata("orders", "test"), "events", WANTED, "greeter", null, FAST);
        TriggerDispatcher d = new TriggerDispatcher(toFunction, () -> consumer, producer, sender, atZero, registry,
                vertx, LIMITS, Clock.systemUTC());
        dispatchers.add(d);
        d.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset(consumer, P0) == 50);
        assertThat(activations.get()).as("a flood no filter matches starts nothing").isZero();
        assertThat(d.matchedBacklog()).isZero();

        consumer.updateEndOffsets(Map.of(P0, 51L));
        consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 50, event("wanted", "want.order"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> activations.get() >= 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.matchedBacklog() == 1);
    }

    @Test
    void theConsumerReadsCommittedBatchesOnlyAndKeepsTheGivenClientSettings() {
        Map<String, Object> config = TriggerDispatcher.consumerConfig(trigger(WANTED, FAST), "pod a/1", Map.of(
                "bootstrap.servers", "kafka:9093", "security.protocol", "SASL_SSL",
                "isolation.level", "read_uncommitted", "enable.auto.commit", true, "fetch.max.wait.ms", 50));
        assertThat(config).containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("group.id", "surge.test.orders")
                .containsEntry("group.instance.id", "surge-dispatcher-test-orders.pod_a_1")
                // Tuning: Surge's where the user gave nothing, the user's where they did; Kafka's fetch defaults
                // (an idle consumer long-polls) unless the user set them.
                .containsEntry("max.poll.records", 1000)
                .containsEntry("fetch.max.wait.ms", 50)
                .doesNotContainKey("fetch.min.bytes");
    }

    // --- helpers

    TriggerDispatcher start(Trigger trigger, Supplier<Consumer<String, byte[]>> consumers) {
        return start(trigger, consumers, LIMITS.partitionBytes());
    }

    TriggerDispatcher start(Trigger trigger, Supplier<Consumer<String, byte[]>> consumers, long partitionBytes) {
        TriggerDispatcher d = new TriggerDispatcher(trigger, consumers, producer, sender, FunctionEndpoints.NONE, registry, vertx,
                LIMITS.withPartitionBytes(partitionBytes), Clock.systemUTC());
        dispatchers.add(d);
        d.start();
        return d;
    }

    static Trigger trigger(TriggerFilter filter, DeliverySpec delivery) {
        return new Trigger(new Metadata("orders", "test"), "events", filter, null, URI.create(TARGET), delivery);
    }

    static CloudEvent event(String id, String type) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType(type)
                .withDataContentType("application/json").withData("{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
    }

    static ConsumerRecord<String, byte[]> record(TopicPartition tp, long offset, CloudEvent event) {
        ProducerRecord<String, byte[]> p = KafkaMessageFactory.<String>createWriter(TOPIC, (String) null).writeBinary(event);
        return new ConsumerRecord<>(TOPIC, tp.partition(), offset, 0L, TimestampType.CREATE_TIME, -1,
                p.value() == null ? -1 : p.value().length, null, p.value(), p.headers(), Optional.empty());
    }

    /** A consumer that gets both partitions at its first poll, then the records. */
    static TestingConsumer consumer(List<ConsumerRecord<String, byte[]>> records) {
        TestingConsumer c = new TestingConsumer();
        Map<TopicPartition, Long> end = new HashMap<>(Map.of(P0, 0L, P1, 0L));
        records.forEach(r -> end.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max));
        c.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        c.updateEndOffsets(end);
        c.schedulePollTask(() -> {
            c.rebalance(List.of(P0, P1));
            records.forEach(c::addRecord);
        });
        return c;
    }

    static long committedOffset(TestingConsumer c, TopicPartition tp) {
        OffsetAndMetadata om = c.committed(Set.of(tp)).get(tp);
        return om == null ? -1 : om.offset();
    }

    ProducerRecord<String, byte[]> deadLetter(String id) {
        return producer.history().stream().filter(r -> r.topic().equals("dead") && id.equals(header(r, "ce_id")))
                .findFirst().orElse(null);
    }

    static String header(ProducerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
