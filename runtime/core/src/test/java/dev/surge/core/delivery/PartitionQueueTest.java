package dev.surge.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionQueueTest {

    private static PartitionQueue<String> queue(Ordering ordering, String... keyedItems) {
        PartitionQueue<String> q = new PartitionQueue<>(ordering);
        for (String item : keyedItems) {
            String key = item.substring(0, 1).equals("_") ? null : item.substring(0, 1);
            q.add(item, key);
        }
        return q;
    }

    @Test
    void unorderedStartsAsManyAsTheBudgetAllows() {
        PartitionQueue<String> q = queue(Ordering.UNORDERED, "a1", "a2", "b1", "c1");
        assertThat(q.takeStartable(3)).containsExactly("a1", "a2", "b1");
        assertThat(q.takeStartable(5)).containsExactly("c1");
        assertThat(q.inFlight()).isEqualTo(4);
    }

    @Test
    void orderedStartsOneAtATimeInOffsetOrder() {
        PartitionQueue<String> q = queue(Ordering.ORDERED, "a1", "b1", "a2");
        assertThat(q.takeStartable(10)).containsExactly("a1");
        assertThat(q.takeStartable(10)).isEmpty();
        q.finished("a");
        assertThat(q.takeStartable(10)).containsExactly("b1");
        q.finished("b");
        assertThat(q.takeStartable(10)).containsExactly("a2");
    }

    @Test
    void keyedKeepsOrderPerKeyAndRunsKeysConcurrently() {
        PartitionQueue<String> q = queue(Ordering.KEYED, "a1", "a2", "b1", "_x", "c1", "b2", "_y");
        // a2 waits for a1, b2 for b1; events without a key never wait.
        assertThat(q.takeStartable(10)).containsExactly("a1", "b1", "_x", "c1", "_y");
        assertThat(q.takeStartable(10)).isEmpty();
        q.finished("b");
        assertThat(q.takeStartable(10)).containsExactly("b2");
        q.finished("a");
        assertThat(q.takeStartable(10)).containsExactly("a2");
        assertThat(q.waiting()).isZero();
    }

    @Test
    void keyedRespectsTheBudget() {
        PartitionQueue<String> q = queue(Ordering.KEYED, "a1", "b1", "c1");
        assertThat(q.takeStartable(2)).containsExactly("a1", "b1");
        assertThat(q.takeStartable(2)).containsExactly("c1");
    }
}
