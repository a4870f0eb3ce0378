package dev.surge.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActivationThrottleTest {
    private final ActivationThrottle throttle = new ActivationThrottle(Duration.ofSeconds(1));
    private final Instant t0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void oneRequestPerFunctionPerSecond() {
        assertThat(throttle.tryAcquire("shop/greeter", t0)).isTrue();
        assertThat(throttle.tryAcquire("shop/greeter", t0.plusMillis(25))).isFalse();
        assertThat(throttle.tryAcquire("shop/greeter", t0.plusMillis(999))).isFalse();
        assertThat(throttle.tryAcquire("shop/greeter", t0.plusMillis(1000))).isTrue();
        assertThat(throttle.tryAcquire("shop/greeter", t0.plusMillis(1500))).isFalse();
    }

    @Test
    void functionsAreThrottledApart() {
        assertThat(throttle.tryAcquire("shop/greeter", t0)).isTrue();
        assertThat(throttle.tryAcquire("shop/payment", t0.plusMillis(1))).isTrue();
        assertThat(throttle.tryAcquire("other/greeter", t0.plusMillis(2))).isTrue();
        assertThat(throttle.tryAcquire("shop/payment", t0.plusMillis(3))).isFalse();
    }
}
