package dev.surge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.filter.EventAttributes;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class HeaderViewTest {

    @Test
    void showsEveryAttributeAndExtensionOfTheHeadersAndNoData() {
        CloudEvent event = CloudEventBuilder.v1(TriggerDispatcherTest.event("id-1", "order.placed"))
                .withSubject("invoice.pdf").withTime(OffsetDateTime.parse("2026-11-25T10:15:30Z"))
                .withDataSchema(URI.create("https://schemas.test/order")).withExtension("region", "eu")
                .withExtension("amount", 150).build();
        CloudEvent view = HeaderView.of(TriggerDispatcherTest.record(TriggerDispatcherTest.P0, 0, event).headers());

        assertThat(view).isNotNull();
        assertThat(view.getSpecVersion()).isEqualTo(SpecVersion.V1);
        assertThat(view.getId()).isEqualTo("id-1");
        assertThat(view.getSource()).isEqualTo(URI.create("/test"));
        assertThat(view.getDataContentType()).isEqualTo("application/json");
        assertThat(view.getExtensionNames()).containsExactlyInAnyOrder("region", "amount");
        for (String name : new String[] {"id", "type", "source", "subject", "time", "dataschema", "datacontenttype",
                "region", "amount", "missing"}) {
            assertThat(EventAttributes.get(view, name)).as(name).isEqualTo(EventAttributes.get(event, name));
        }
        assertThat(view.getData()).isNull();
        assertThatThrownBy(() -> view.getAttribute("region")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void structuredOrIncompleteRecordsHaveNoView() {
        RecordHeaders structured = new RecordHeaders();
        structured.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        assertThat(HeaderView.of(structured)).isNull();

        RecordHeaders noId = new RecordHeaders();
        noId.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        noId.add("ce_source", "/s".getBytes(StandardCharsets.UTF_8));
        noId.add("ce_type", "t".getBytes(StandardCharsets.UTF_8));
        assertThat(HeaderView.of(noId)).isNull();
    }
}
