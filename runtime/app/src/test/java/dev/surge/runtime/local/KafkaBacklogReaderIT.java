package dev.surge.runtime.local;

import dev.surge.backlog.KafkaBacklogReader;
import static dev.surge.runtime.testing.SurgeTestEnvironment.NAMESPACE;
import static dev.surge.runtime.testing.SurgeTestEnvironment.SCALING_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Metadata;
import dev.surge.core.resource.Trigger;
import dev.surge.core.scaling.PartitionBacklog;
import dev.surge.runtime.SurgeRuntime;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reader against the embedded broker: offsets committed with backlog metadata (as the dispatcher commits
 * them) for a consumer group no dispatcher uses, on the scaling broker's topic.
 */
@QuarkusTest
class KafkaBacklogReaderIT {
    private static final String PROBE = "backlog-probe";
    private static final String GROUP = "surge." + NAMESPACE + "." + PROBE;

    @Inject
    SurgeRuntime runtime;

    @AfterEach
    void deleteGroup() throws Exception {
        try {
            runtime.kafka().admin().deleteConsumerGroups(List.of(GROUP)).all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) { // a test that committed nothing
                throw e;
            }
        }
    }

    /** A CloudEvent in Kafka's binary mode that no trigger of the broker matches. */
    private static ProducerRecord<String, byte[]> event(int partition) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(SCALING_TOPIC, partition, null, "{}".getBytes());
        r.headers().add("ce_specversion", "1.0".getBytes()).add("ce_id", UUID.randomUUID().toString().getBytes())
                .add("ce_source", "/test/backlog".getBytes()).add("ce_type", "backlog.probe".getBytes())
                .add("content-type", "application/json".getBytes());
        return r;
    }

    private Trigger probe() {
        Trigger any = runtime.resources().triggers().stream().filter(t -> "scale-greet".equals(t.name())).findFirst()
                .orElseThrow();
        return new Trigger(new Metadata(PROBE, NAMESPACE), any.broker(), any.filter(), any.function(), any.uri(),
                any.delivery());
    }

    @Test
    void sumsTheMatchingBacklogOfCommittedMetadataAndCountsUnknownPartitionsAsZero() throws Exception {
        Admin admin = runtime.kafka().admin();
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 20; i++) { // every partition has events, whatever ran before
                runtime.kafka().producer().send(event(p)).get();
            }
        }
        Map<TopicPartition, Long> end = admin.listOffsets(List.of(0, 1, 2).stream()
                        .collect(Collectors.toMap(p -> new TopicPartition(SCALING_TOPIC, p), p -> OffsetSpec.latest())))
                .all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        TopicPartition p0 = new TopicPartition(SCALING_TOPIC, 0);
        TopicPartition p1 = new TopicPartition(SCALING_TOPIC, 1);
        TopicPartition p2 = new TopicPartition(SCALING_TOPIC, 2);
        // p0: read to the end, 5 matching events waiting; p1: 10 unread, half of what was read matched;
        // p2: committed by another tool, with metadata that is not a backlog: unknown, counts 0
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        commits.put(p0, new OffsetAndMetadata(end.get(p0) - 5, new PartitionBacklog(end.get(p0), 5, 0.0).encode()));
        commits.put(p1, new OffsetAndMetadata(end.get(p1) - 10, new PartitionBacklog(end.get(p1) - 10, 0, 0.5).encode()));
        commits.put(p2, new OffsetAndMetadata(0, "reset by kafka-consumer-groups"));
        admin.alterConsumerGroupOffsets(GROUP, commits).all().get(10, TimeUnit.SECONDS);

        assertThat(new KafkaBacklogReader(admin).matchingBacklog(probe()))
                .as("5 waiting on p0 + ceil(10 × 0.5) estimated on p1 + 0 on p2, whose raw lag is " + end.get(p2))
                .isEqualTo(10);
    }

    @Test
    void aGroupThatNeverCommittedHasNoBacklog() throws Exception {
        runtime.kafka().producer().send(event(0)).get();
        assertThat(new KafkaBacklogReader(runtime.kafka().admin()).matchingBacklog(probe())).isZero();
    }
}
