package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The Kafka consumer group of a Trigger and its matching backlog. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerStatus extends SurgeStatus {
    @JsonPropertyDescription("The trigger's Kafka consumer group, for Kafka's own tools")
    private String consumerGroup;

    @JsonPropertyDescription("Matching events the trigger has not finished")
    private Long lag;

    public String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    public Long getLag() {
        return lag;
    }

    public void setLag(Long lag) {
        this.lag = lag;
    }
}
