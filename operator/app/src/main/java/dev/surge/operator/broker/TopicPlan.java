package dev.surge.operator.broker;

import dev.surge.core.resource.Broker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What to do to a Broker's Kafka topic so that it is as the Broker says, as far as Kafka allows. Pure.
 *
 * <p>Kafka grows a topic's partitions but cannot remove any (keys would move between partitions, and events
 * would be lost), so fewer partitions than the topic has are kept as they are and said so. A replication factor
 * changes only by a partition reassignment, which the operator leaves to the Kafka administrator.
 *
 * @param create      create the topic with the Broker's partitions, replication factor and retention
 * @param partitions  grow the topic to this many partitions, or empty
 * @param retentionMs set {@code retention.ms} to this, or empty
 * @param notes       what differs from the Broker and stays so, each saying why
 */
public record TopicPlan(boolean create, Optional<Integer> partitions, Optional<Long> retentionMs, List<String> notes) {
    public TopicPlan {
        notes = List.copyOf(notes);
    }

    /** The topic as Kafka describes it. */
    public record Topic(int partitions, short replicationFactor, Long retentionMs) {
    }

    public static TopicPlan of(Broker broker, Optional<Topic> actual) {
        long retention = broker.retention().toMillis();
        if (actual.isEmpty()) {
            return new TopicPlan(true, Optional.empty(), Optional.empty(), List.of());
        }
        Topic topic = actual.get();
        List<String> notes = new ArrayList<>();
        Optional<Integer> grow = Optional.empty();
        if (broker.partitions() > topic.partitions()) {
            grow = Optional.of(broker.partitions());
        } else if (broker.partitions() < topic.partitions()) {
            notes.add("spec.partitions is " + broker.partitions() + " but the topic has " + topic.partitions()
                    + " partitions, which it keeps: Kafka cannot remove partitions (partitions only grow)");
        }
        if (broker.replicationFactor() != topic.replicationFactor()) {
            notes.add("spec.replicationFactor is " + broker.replicationFactor() + " but the topic has "
                    + topic.replicationFactor() + " replicas, which it keeps: changing them takes a partition"
                    + " reassignment by the Kafka administrator");
        }
        Optional<Long> retentionMs = topic.retentionMs() != null && topic.retentionMs() == retention
                ? Optional.empty() : Optional.of(retention);
        return new TopicPlan(false, grow, retentionMs, notes);
    }

    public boolean changes() {
        return create || partitions.isPresent() || retentionMs.isPresent();
    }
}
