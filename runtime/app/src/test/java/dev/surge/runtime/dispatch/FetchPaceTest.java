package dev.surge.runtime.dispatch;

import static dev.surge.runtime.dispatch.FetchPace.AFTER_MATCHES_NANOS;
import static dev.surge.runtime.dispatch.FetchPace.AFTER_PASSED_OVER_NANOS;
import static dev.surge.runtime.dispatch.FetchPace.SMALL_POLL_BYTES;
import static dev.surge.runtime.dispatch.FetchPace.nanosAfter;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FetchPaceTest {
    @Test
    void anIdleConsumerFetchesAgainAtOnceItsFetchWaitsInTheBroker() {
        assertThat(nanosAfter(0, 0, 0, 0)).isZero();
    }

    @Test
    void aConsumerBehindReadsItsBacklogWithoutWaiting() {
        assertThat(nanosAfter(1000, 1_000_000, 0, 50_000)).isZero();
        assertThat(nanosAfter(10, 10_000, 3, 11)).isZero();
    }

    @Test
    void aSmallPollWithEventsToDeliverWaitsALittleSoAFloodGathersIntoLargerFetches() {
        assertThat(nanosAfter(5, 5_000, 1, 0)).isEqualTo(AFTER_MATCHES_NANOS);
        assertThat(nanosAfter(5, SMALL_POLL_BYTES, 1, 0)).isZero();
    }

    @Test
    void aPollOfOnlyEventsTheTriggerPassesOverWaitsLongerWhateverItsSize() {
        assertThat(nanosAfter(3, 3_000, 0, 0)).isEqualTo(AFTER_PASSED_OVER_NANOS);
        assertThat(nanosAfter(900, 900_000, 0, 400)).isEqualTo(AFTER_PASSED_OVER_NANOS);
        assertThat(AFTER_PASSED_OVER_NANOS).isGreaterThan(AFTER_MATCHES_NANOS);
    }
}
