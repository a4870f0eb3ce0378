package dev.surge.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final RestartPolicy POLICY = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofMinutes(10), 5);

    /** {@code count} crashes, one every {@code everySeconds}, the last one now. */
    private static List<Instant> crashes(int count, int everySeconds) {
        return IntStream.range(0, count).mapToObj(i -> NOW.minusSeconds((long) (count - 1 - i) * everySeconds)).toList();
    }

    @ParameterizedTest(name = "{0} crashes {1} s apart → restart in {2} ms")
    @CsvSource({
            "1, 1, 500",
            "2, 1, 1000",
            "3, 1, 2000",
            "5, 1, 8000",
            // spread over more than the window: only those within it count
            "5, 200, 2000",
            "5, 700, 500"})
    void delayDoublesWithRecentCrashes(int count, int everySeconds, long delayMs) {
        RestartPolicy.Decision d = POLICY.decide(crashes(count, everySeconds), NOW);
        assertThat(d.giveUp()).isFalse();
        assertThat(d.delay()).isEqualTo(Duration.ofMillis(delayMs));
    }

    @ParameterizedTest(name = "{0} crashes → capped at 30 s")
    @CsvSource({"7", "40"})
    void delayIsCapped(int count) {
        RestartPolicy endless = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofHours(1), 0);
        RestartPolicy.Decision d = endless.decide(crashes(count, 1), NOW);
        assertThat(d.giveUp()).isFalse();
        assertThat(d.delay()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "{0} crashes {1} s apart → give up: {2}")
    @CsvSource({
            "5, 1, false",
            "6, 1, true",
            "6, 60, true",
            // the same six, but the first fell out of the window: a crash loop no more
            "6, 130, false"})
    void givesUpOnACrashLoop(int count, int everySeconds, boolean giveUp) {
        RestartPolicy.Decision d = POLICY.decide(crashes(count, everySeconds), NOW);
        assertThat(d.giveUp()).isEqualTo(giveUp);
        assertThat(d.reason()).contains("within PT10M");
    }

    @ParameterizedTest(name = "never gives up with maxCrashes 0 after {0} crashes")
    @CsvSource({"1", "1000"})
    void zeroNeverGivesUp(int count) {
        RestartPolicy endless = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(10), 0);
        assertThat(endless.decide(crashes(count, 0), NOW).giveUp()).isFalse();
    }
}
