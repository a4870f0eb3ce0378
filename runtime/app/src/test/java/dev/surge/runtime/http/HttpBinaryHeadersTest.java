package dev.surge.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The size the ingress counts for an event is exactly what the dispatcher's headers take. */
class HttpBinaryHeadersTest {

    @Test
    void theCountedSizeIsTheSizeOfTheWrittenHeaders() {
        List<CloudEvent> events = List.of(
                event("plain").build(),
                event("with-time").withTime(OffsetDateTime.parse("2026-11-25T10:00:00.123456Z"))
                        .withDataSchema(URI.create("https://schemas.example/x")).withSubject("s p a c e").build(),
                event("unicode").withExtension("note", "grüße, 東京, 😀, \"quoted\", 100%").build(),
                event("typed").withExtension("count", 42).withExtension("flag", true)
                        .withExtension("blob", new byte[] {1, 2, 3}).build(),
                event("media").withDataContentType("application/json; charset=utf-8").withData(new byte[] {'{', '}'})
                        .build());
        for (CloudEvent e : events) {
            assertThat(HttpBinaryHeaders.size(e)).as(e.getId()).isEqualTo(HttpBinaryHeaders.size(HttpBinaryHeaders.of(e)));
        }
    }

    @Test
    void aContentTypeThatCannotBeAHeaderIsRefusedByBoth() {
        CloudEvent bad = event("ct").withDataContentType("text/plain; x=\u0001").withData(new byte[0]).build();
        assertThatThrownBy(() -> HttpBinaryHeaders.of(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpBinaryHeaders.size(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0001");
    }

    @Test
    void encodedLengthIsTheLengthOfTheEncoding() {
        for (String s : List.of("", "abc", "a b", "%", "\"", "ü", "東", "😀", "\ud800x", "x\udc00", "mixed ü 東 😀 %")) {
            assertThat(PercentEncoding.encodedLength(s)).as(s).isEqualTo(PercentEncoding.encode(s).length());
        }
    }

    private static CloudEventBuilder event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType("test.event");
    }
}
