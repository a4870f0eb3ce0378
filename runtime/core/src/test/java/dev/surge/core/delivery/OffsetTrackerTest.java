package dev.surge.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void commitsOnlyUpToTheFirstUnfinishedEvent() {
        OffsetTracker t = new OffsetTracker();
        assertThat(t.committable()).isEqualTo(-1);
        for (long o = 10; o < 15; o++) {
            t.track(o);
        }
        assertThat(t.committable()).isEqualTo(10);
        t.done(11);
        t.done(13);
        assertThat(t.committable()).isEqualTo(10);
        t.done(10);
        assertThat(t.committable()).isEqualTo(12);
        t.done(12);
        assertThat(t.committable()).isEqualTo(14);
        t.done(14);
        assertThat(t.committable()).isEqualTo(15);
        assertThat(t.pendingCount()).isZero();
    }

    @Test
    void gapsInOffsetsAreSkipped() {
        OffsetTracker t = new OffsetTracker();
        t.track(3);
        t.track(7);
        t.done(3);
        assertThat(t.committable()).isEqualTo(7);
        t.done(7);
        assertThat(t.committable()).isEqualTo(8);
    }

    @Test
    void offsetsMustGrow() {
        OffsetTracker t = new OffsetTracker();
        t.track(5);
        assertThatThrownBy(() -> t.track(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offsetsTheConsumerSkippedDoNotHoldTheCommitBack() {
        OffsetTracker t = new OffsetTracker();
        t.track(0);
        t.track(1);
        t.done(0);
        // offset 2 is a transaction's commit marker: the consumer's position moves past it, no record comes
        t.advanceTo(3);
        assertThat(t.committable()).isEqualTo(1);
        t.done(1);
        assertThat(t.committable()).isEqualTo(3);
        t.advanceTo(2); // never back
        assertThat(t.next()).isEqualTo(3);
        assertThatThrownBy(() -> t.track(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFinishedOffsetsAboveTheCommittableOneAreTheGapsAfterUnfinishedEvents() {
        OffsetTracker t = new OffsetTracker();
        assertThat(t.finishedAbove()).isEqualTo(FinishedOffsets.NONE);
        for (long o = 10; o < 20; o++) {
            t.track(o);
        }
        t.advanceTo(25); // 20..24 passed over by the filter
        for (long o : new long[] {11, 12, 14, 15, 16, 17, 18, 19}) {
            t.done(o);
        }
        // 10 and 13 are unfinished (in retry, in flight): 11-12 and 14-24 are done
        assertThat(t.committable()).isEqualTo(10);
        assertThat(t.finishedAbove().encode(t.committable())).isEqualTo(";done=1+2,1+11");
        t.done(10);
        assertThat(t.committable()).isEqualTo(13);
        assertThat(t.finishedAbove().encode(t.committable())).isEqualTo(";done=1+11");
        t.done(13);
        assertThat(t.finishedAbove()).as("all done: the commit says it all").isEqualTo(FinishedOffsets.NONE);
    }
}
