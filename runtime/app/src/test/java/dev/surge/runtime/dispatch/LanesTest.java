package dev.surge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.delivery.Ordering;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LanesTest {
    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void pausesAPartitionOverItsBytesAndResumesBelowHalf() {
        Lanes lanes = new Lanes(Ordering.UNORDERED, 1000, 10_000);
        Lanes.Lane lane = lanes.lane(P0);
        Delivery a = delivery(lane, 0, 600);
        Delivery b = delivery(lane, 1, 600);
        lanes.take(lane, 0, a);
        assertThat(lanes.toPause()).isEmpty();
        lanes.take(lane, 1, b);
        assertThat(lanes.toPause()).containsExactly(lane);
        assertThat(lanes.toPause()).as("paused once").isEmpty();

        lane.queue.takeStartable(2);
        lanes.finish(a);
        assertThat(lanes.toResume()).as("600 bytes left, above half of 1000").isEmpty();
        lanes.finish(b);
        assertThat(lanes.toResume()).containsExactly(lane);
        assertThat(lanes.bytes()).isZero();
    }

    @Test
    void pausesEveryPartitionWithEventsOverTheTriggersBytes() {
        Lanes lanes = new Lanes(Ordering.UNORDERED, 1000, 1500);
        Lanes.Lane l0 = lanes.lane(P0);
        Lanes.Lane l1 = lanes.lane(P1);
        lanes.take(l0, 0, delivery(l0, 0, 800));
        lanes.take(l1, 0, delivery(l1, 0, 800));
        assertThat(lanes.toPause()).containsExactlyInAnyOrder(l0, l1);
    }

    @Test
    void tracksWhatTheScalerNeedsAndIgnoresRecordsReadTwice() {
        Lanes lanes = new Lanes(Ordering.UNORDERED, 1000, 10_000);
        Lanes.Lane lane = lanes.lane(P0);
        assertThat(lane.backlog()).as("nothing read yet").isNull();
        assertThat(lanes.take(lane, 0, delivery(lane, 0, 10))).isTrue();
        lane.offsets.advanceTo(2); // offset 1 passed over by the filter: the consumer's position moved past it
        assertThat(lanes.take(lane, 1, delivery(lane, 1, 10))).as("a fetch repeated after a seek").isFalse();
        lane.matchRatio.observe(1, 2);
        lane.offsets.advanceTo(5); // the consumer's position, past a transaction marker
        lane.unread = 10;
        assertThat(lane.backlog().readPosition()).isEqualTo(5);
        assertThat(lane.backlog().matchedWaiting()).isEqualTo(1);
        assertThat(lanes.matchedBacklog()).as("read freely: unread events are counted once read, not estimated")
                .isEqualTo(1);
        lane.paused = true;
        assertThat(lane.backlog().matchRatio()).isEqualTo(0.5);
        assertThat(lanes.matchedBacklog()).as("paused: unread events estimated with the ratio").isEqualTo(1 + 5);
        assertThat(lanes.remove(List.of(P0))).containsExactly(lane);
        assertThat(lanes.matchedBacklog()).isZero();
    }

    private static Delivery delivery(Lanes.Lane lane, long offset, long bytes) {
        return new Delivery(lane, offset, null, TriggerDispatcherTest.event("e" + offset, "want"), bytes);
    }
}
