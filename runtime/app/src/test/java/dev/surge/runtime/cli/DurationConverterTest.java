package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsShortFormsAndIso() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void refusesAnythingElseSayingHowToWriteIt() {
        assertThatThrownBy(() -> converter.convert("5 minutes")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'5 minutes' is not a duration; write e.g. 500ms, 30s, 2m or PT30S");
    }
}
