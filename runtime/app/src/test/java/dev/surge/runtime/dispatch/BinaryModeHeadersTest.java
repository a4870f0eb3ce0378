package dev.surge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The CloudEvents HTTP binding, 3.1.3.2: what a {@code ce-} header value looks like on the wire. */
class BinaryModeHeadersTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "order-42|order-42",
            "a b|a%20b",
            "say \"hi\"|say%20%22hi%22",
            "100%|100%25",
            "café|caf%C3%A9",
            "日本|%E6%97%A5%E6%9C%AC",
            "/path?q=1&r=[x]|/path?q=1&r=[x]"})
    void percentEncodesWhatTheBindingRequires(String value, String onTheWire) {
        assertThat(dev.surge.runtime.http.PercentEncoding.encode(value)).isEqualTo(onTheWire);
    }

    @Test
    void controlCharactersAreEncodedSoAnyStringAttributeTravels() {
        CloudEvent event = base().withExtension("myext", "a\u000bb\tc\u007f").withSubject("line1\nline2").build();
        BinaryModeHeaders message = BinaryModeHeaders.of(event);
        assertThat(message.headers.get("ce-myext")).isEqualTo("a%0Bb%09c%7F");
        assertThat(message.headers.get("ce-subject")).isEqualTo("line1%0Aline2");
        assertThat(message.headers.get("ce-id")).isEqualTo("1");
        assertThat(message.headers.get("Content-Type")).isEqualTo("application/json");
        assertThat(message.body.toString(StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void aContentTypeThatIsNoHeaderValueCannotBeEncoded() {
        CloudEvent event = base().withDataContentType("text/plain\u000b").build();
        assertThatThrownBy(() -> BinaryModeHeaders.of(event)).isInstanceOf(EventEncodingException.class)
                .hasMessageContaining("event 1 cannot be written in HTTP binary mode");
    }

    private static CloudEventBuilder base() {
        return CloudEventBuilder.v1().withId("1").withSource(URI.create("/s")).withType("t")
                .withDataContentType("application/json").withData("{}".getBytes(StandardCharsets.UTF_8));
    }
}
