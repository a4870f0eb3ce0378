package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Where undeliverable events go: exactly one of a Kafka topic, a URL or a Function (the {@code @Size} on
 * {@link TriggerDelivery}'s field says so in the schema).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetterSink {
    /** Kafka's legal topic names (letters, digits, '.', '_', '-'; not '.' or '..'), as the core checks them. */
    static final String KAFKA_TOPIC = "^(?:[a-zA-Z0-9._-]*[a-zA-Z0-9_-][a-zA-Z0-9._-]*|[.]{3,})$";

    @JsonPropertyDescription("A Kafka topic on the broker's cluster; created when missing")
    @Size(max = 249)
    @Pattern(KAFKA_TOPIC)
    private String topic;

    @JsonPropertyDescription("An absolute http(s) URL")
    @Pattern(SurgeApi.HTTP_URL)
    private String uri;

    @JsonPropertyDescription("The name of a Function (same namespace)")
    @Pattern(SurgeApi.NOT_BLANK)
    private String function;

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public String getFunction() {
        return function;
    }

    public void setFunction(String function) {
        this.function = function;
    }
}
