package dev.surge.runtime.local;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer-group lag from the Kafka Admin API: per partition, end offset minus committed offset. A partition
 * the group has not committed yet counts from its earliest retained offset, because triggers start at the
 * earliest event (KEDA's {@code offsetResetPolicy: earliest}).
 */
public final class LagReader {
    private static final long TIMEOUT_S = 5;
    private final Admin admin;
    private final Map<String, List<TopicPartition>> partitions = new ConcurrentHashMap<>();

    public LagReader(Admin admin) {
        this.admin = admin;
    }

    public long lag(String group, String topic) throws Exception {
        List<TopicPartition> tps = partitions(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<TopicPartition, Long> end = offsets(tps, OffsetSpec.latest());
        List<TopicPartition> fresh = tps.stream().filter(tp -> committed.get(tp) == null).toList();
        Map<TopicPartition, Long> start = fresh.isEmpty() ? Map.of() : offsets(fresh, OffsetSpec.earliest());
        long lag = 0;
        for (TopicPartition tp : tps) {
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : start.getOrDefault(tp, 0L);
            lag += Math.max(0, end.getOrDefault(tp, 0L) - from);
        }
        return lag;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> tps, OffsetSpec spec) throws Exception {
        ListOffsetsResult result = admin.listOffsets(tps.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)));
        return result.all().get(TIMEOUT_S, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private List<TopicPartition> partitions(String topic) throws Exception {
        List<TopicPartition> known = partitions.get(topic);
        if (known != null) {
            return known;
        }
        List<TopicPartition> tps = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        partitions.put(topic, tps);
        return tps;
    }
}
