package dev.surge.backlog;

import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Trigger;
import dev.surge.core.scaling.MatchingBacklog;
import dev.surge.core.scaling.PartitionBacklog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The matching backlog from the Kafka Admin API: the trigger group's committed offsets with their metadata
 * (where the dispatcher writes a {@link PartitionBacklog}) and the topic's end offsets, summed by
 * {@link MatchingBacklog#total}.
 */
public final class KafkaBacklogReader implements BacklogReader {
    private static final long TIMEOUT_S = 5;
    private final Admin admin;
    /** How long a topic's partition list is trusted: a broker's topic can grow while Surge runs. */
    private static final long PARTITIONS_TTL_NS = TimeUnit.SECONDS.toNanos(10);
    private final Map<String, Known> partitions = new ConcurrentHashMap<>();

    private record Known(List<TopicPartition> partitions, long readAt) {
    }

    public KafkaBacklogReader(Admin admin) {
        this.admin = admin;
    }

    @Override
    public long matchingBacklog(Trigger trigger) throws Exception {
        String topic = KafkaNames.brokerTopic(trigger.namespace(), trigger.broker());
        List<TopicPartition> tps = partitions(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = admin
                .listConsumerGroupOffsets(KafkaNames.triggerGroup(trigger.namespace(), trigger.name()))
                .partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<TopicPartition, String> metadata = new HashMap<>();
        committed.forEach((tp, c) -> {
            if (c != null) {
                metadata.put(tp, c.metadata());
            }
        });
        Map<TopicPartition, Long> end = admin.listOffsets(tps.stream()
                        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get(TIMEOUT_S, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        return MatchingBacklog.total(metadata, end);
    }

    private List<TopicPartition> partitions(String topic) throws Exception {
        Known known = partitions.get(topic);
        if (known != null && System.nanoTime() - known.readAt() < PARTITIONS_TTL_NS) {
            return known.partitions();
        }
        List<TopicPartition> tps = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        partitions.put(topic, new Known(tps, System.nanoTime()));
        return tps;
    }
}
