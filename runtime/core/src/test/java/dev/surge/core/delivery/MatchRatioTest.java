package dev.surge.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MatchRatioTest {

    @Test
    void startsAtTheFirstBatchAndFollowsAChangeWithinAFewBatches() {
        MatchRatio r = new MatchRatio();
        assertThat(r.value()).isZero();
        r.observe(1, 100);
        assertThat(r.value()).isCloseTo(0.01, within(1e-9));
        for (int i = 0; i < 10; i++) {
            r.observe(100, 100);
        }
        assertThat(r.value()).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
    }

    @Test
    void oneOddBatchDoesNotSwingIt() {
        MatchRatio r = new MatchRatio();
        r.observe(0, 500);
        r.observe(500, 500);
        assertThat(r.value()).isLessThan(0.5);
        r.observe(0, 0); // an empty batch says nothing
        assertThat(r.value()).isCloseTo(0.3, within(1e-9));
    }
}
