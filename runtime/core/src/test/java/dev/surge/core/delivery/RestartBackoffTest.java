package dev.surge.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void doublesFromOneSecondUpToThirtySeconds() {
        RestartBackoff b = RestartBackoff.DEFAULT;
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(b.delay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRunAsLongAsTheCapIsHealthy() {
        RestartBackoff b = RestartBackoff.DEFAULT;
        assertThat(b.healthy(Duration.ofSeconds(29))).isFalse();
        assertThat(b.healthy(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void refusesAFirstPauseAboveTheCap() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first <= cap");
    }
}
