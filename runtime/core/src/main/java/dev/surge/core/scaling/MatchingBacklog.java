package dev.surge.core.scaling;

import java.util.Map;

/**
 * The backlog of one trigger that its filter will actually deliver: per partition, what the trigger's
 * dispatcher reported in the metadata of its last commit ({@link PartitionBacklog}), brought up to the
 * partition's end offset now. Events the filter passes over never count, however many there are.
 */
public final class MatchingBacklog {
    private MatchingBacklog() {
    }

    /**
     * Matching events not finished yet, summed over the partitions of {@code endOffsets}.
     *
     * @param committedMetadata per partition, the metadata of the trigger group's committed offset (absent or
     *                          null when the group never committed there)
     * @param endOffsets        per partition, its end offset now; partitions missing here are not counted
     * @param <P>               how a partition is named (Kafka's {@code TopicPartition}, or a number in tests)
     * @return the sum of {@link PartitionBacklog#matched(long)}; a partition without a decodable backlog counts
     *         0 (see {@link PartitionBacklog#decode}: unknown is not raw lag)
     */
    public static <P> long total(Map<P, String> committedMetadata, Map<P, Long> endOffsets) {
        long total = 0;
        for (Map.Entry<P, Long> end : endOffsets.entrySet()) {
            total += PartitionBacklog.decode(committedMetadata.get(end.getKey()))
                    .map(b -> b.matched(end.getValue()))
                    .orElse(0L);
        }
        return total;
    }
}
