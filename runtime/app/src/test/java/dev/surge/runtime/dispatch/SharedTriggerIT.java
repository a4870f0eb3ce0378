package dev.surge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.resource.Trigger;
import dev.surge.kafka.EmbeddedKafka;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several dispatcher processes of one trigger (pods of the dispatcher Deployment on Kubernetes) against a real
 * broker: their static member ids differ by instance, so they share the trigger's partitions through its consumer
 * group instead of fencing each other, and every event is delivered at least once.
 */
class SharedTriggerIT {
    static final int PARTITIONS = 4;
    static final int EVENTS = 400;

    final Vertx vertx = Vertx.vertx();
    final TestingSender sender = new TestingSender();
    final List<TriggerDispatcher> dispatchers = new ArrayList<>();
    EmbeddedKafka kafka;

    @AfterEach
    void stop() throws Exception {
        dispatchers.forEach(TriggerDispatcher::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A broker of its own with the trigger's topic, and dispatchers of one trigger in processes pod-a and pod-b. */
    private void startTwoInstancesOfOneTrigger() throws Exception {
        kafka = EmbeddedKafka.start(Path.of("target", "shared-trigger-it", "kafka-" + System.nanoTime()), 0);
        Trigger trigger = TriggerDispatcherTest.trigger(e -> true, TriggerDispatcherTest.FAST);
        Map<String, Object> clients = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TriggerDispatcherTest.TOPIC, PARTITIONS, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        var replies = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        for (String instance : List.of("pod-a", "pod-b")) {
            TriggerDispatcher d = new TriggerDispatcher(trigger, instance, clients, replies, sender,
                    FunctionEndpoints.NONE, new SimpleMeterRegistry(), vertx);
            dispatchers.add(d);
            d.start();
        }
    }

    @Test
    void anInstanceThatStopsHandsItsPartitionsOverAtOnce() throws Exception {
        startTwoInstancesOfOneTrigger();
        await().atMost(Duration.ofSeconds(60)).until(() -> dispatchers.stream()
                .allMatch(d -> !d.status().assignedPartitions().isEmpty()));

        dispatchers.get(0).close(); // a rollout: pod-a stops gracefully, its replacement has another name
        // Timing is the point: a static member that stays in its group holds its partitions for the session
        // timeout (45 s by default); one that leaves hands them over at the next rebalance.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                dispatchers.get(1).status().assignedPartitions()).hasSize(PARTITIONS));
    }

    @Test
    void twoInstancesShareATriggersPartitionsWithoutFencingEachOther() throws Exception {
        startTwoInstancesOfOneTrigger();
        // Both members joined and split the partitions before the events come, so both have work.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (TriggerDispatcher d : dispatchers) {
                assertThat(d.status().assignedPartitions()).as("partitions of " + d.status()).isNotEmpty();
            }
            assertThat(dispatchers.stream().mapToInt(d -> d.status().assignedPartitions().size()).sum())
                    .isEqualTo(PARTITIONS);
        });

        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                ProducerRecord<String, byte[]> r = KafkaMessageFactory
                        .<String>createWriter(TriggerDispatcherTest.TOPIC, "key-" + i)
                        .writeBinary(TriggerDispatcherTest.event("shared-" + i, "want.order"));
                producer.send(r);
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int i = 0; i < EVENTS; i++) {
                if (sender.count(TriggerDispatcherTest.TARGET, "shared-" + i) < 1) {
                    return false;
                }
            }
            return true;
        });
        System.out.printf("duplicates: %d of %d%n", sender.sentTo(TriggerDispatcherTest.TARGET).size() - EVENTS, EVENTS);
        for (TriggerDispatcher d : dispatchers) {
            assertThat(d.status().restarts()).as("a member fenced out restarts; " + d.status()).isZero();
            assertThat(d.status().state()).isEqualTo(TriggerDispatcher.State.RUNNING);
            assertThat(d.status().assignedPartitions()).isNotEmpty();
        }
    }
}
