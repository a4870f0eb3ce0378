package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where to post events to a Broker, and its Kafka topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BrokerStatus extends SurgeStatus {
    @JsonPropertyDescription("URL that accepts CloudEvents for this broker: the ingress's /<namespace>/<broker>")
    private String address;

    @JsonPropertyDescription("The Kafka topic that stores the broker's events")
    private String topic;

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }
}
