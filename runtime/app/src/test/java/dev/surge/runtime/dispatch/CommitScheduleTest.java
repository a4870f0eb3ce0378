package dev.surge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.delivery.Ordering;
import dev.surge.core.scaling.PartitionBacklog;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitScheduleTest {
    static final TopicPartition P0 = new TopicPartition("t", 0);

    final Lanes lanes = new Lanes(Ordering.UNORDERED, 1 << 20, 1 << 22);
    final CommitSchedule schedule = new CommitSchedule();

    @Test
    void commitsWhenTheOffsetOrTheBacklogChangedAndNotOtherwise() {
        Lanes.Lane lane = lanes.lane(P0);
        assertThat(schedule.due(lanes.all())).as("nothing read").isEmpty();
        Delivery stuck = new Delivery(lane, 0, null, TriggerDispatcherTest.event("stuck", "want"), 10);
        lanes.take(lane, 0, stuck);
        lane.matchRatio.observe(1, 1);
        lane.paused = true; // the ratio is reported for a paused partition only
        assertThat(schedule.due(lanes.all())).containsExactly(
                Map.entry(P0, new OffsetAndMetadata(0, new PartitionBacklog(1, 1, 1.0).encode())));
        assertThat(schedule.due(lanes.all())).as("unchanged").isEmpty();

        lane.offsets.advanceTo(2); // read on past the stuck event (offset 1 passed over): same offset, new backlog
        lane.matchRatio.observe(0, 1);
        Map<TopicPartition, OffsetAndMetadata> due = schedule.due(lanes.all());
        assertThat(due.get(P0).offset()).isZero();
        assertThat(PartitionBacklog.decode(due.get(P0).metadata())).contains(new PartitionBacklog(2, 1, 0.7));
    }

    @Test
    void eventsFinishedAfterOneInRetryGoWithTheCommitUnlessTheClusterRefusesThem() {
        Lanes.Lane lane = lanes.lane(P0);
        Delivery[] d = new Delivery[5];
        for (int i = 0; i < 5; i++) {
            d[i] = new Delivery(lane, i, null, TriggerDispatcherTest.event("e" + i, "want"), 10);
            lanes.take(lane, i, d[i]);
        }
        lanes.finish(d[1]);
        lanes.finish(d[2]);
        lanes.finish(d[4]); // e0 in retry, e3 in flight
        OffsetAndMetadata due = schedule.due(lanes.all()).get(P0);
        assertThat(due.offset()).isZero();
        assertThat(due.metadata()).isEqualTo(new PartitionBacklog(5, 2, 0.0).encode() + ";done=1+2,1+1");

        schedule.withoutFinishedOffsets();
        schedule.failed(Map.of(P0, due));
        assertThat(schedule.due(lanes.all()).get(P0).metadata()).isEqualTo(new PartitionBacklog(5, 2, 0.0).encode());
    }

    @Test
    void aFailedCommitIsDueAgainUnlessANewerOneWentOut() {
        Lanes.Lane lane = lanes.lane(P0);
        lane.offsets.advanceTo(1); // offset 0 passed over by the filter
        Map<TopicPartition, OffsetAndMetadata> first = schedule.due(lanes.all());
        schedule.failed(first);
        assertThat(schedule.due(lanes.all())).isEqualTo(first);

        lane.offsets.advanceTo(2); // offset 1 passed over by the filter
        Map<TopicPartition, OffsetAndMetadata> second = schedule.due(lanes.all());
        schedule.failed(first); // the older one's failure arrives late
        assertThat(schedule.due(lanes.all())).as("the newer commit stands").isEmpty();
        assertThat(second.get(P0).offset()).isEqualTo(2);
    }

    @Test
    void forgottenPartitionsAreNotCommitted() {
        Lanes.Lane lane = lanes.lane(P0);
        lane.offsets.advanceTo(1); // offset 0 passed over by the filter
        schedule.due(lanes.all());
        lanes.remove(List.of(P0));
        schedule.forget(List.of(P0));
        assertThat(schedule.due(lanes.all())).isEmpty();
    }
}
