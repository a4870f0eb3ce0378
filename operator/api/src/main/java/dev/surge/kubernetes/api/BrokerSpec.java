package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** A Broker's spec, as surge.yaml's (the core's {@code BrokerSpecReader}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BrokerSpec {
    @JsonPropertyDescription("Partitions of the broker's Kafka topic")
    @Default("3")
    @Min(1)
    @Max(10_000)
    private Integer partitions;

    @JsonPropertyDescription("Replicas of each partition")
    @Default("1")
    @Min(1)
    @Max(Short.MAX_VALUE)
    private Integer replicationFactor;

    @JsonPropertyDescription("How long Kafka keeps events: a positive ISO-8601 duration such as P7D or PT12H")
    @Default("P7D")
    @Pattern(IsoDuration.POSITIVE)
    private String retention;

    @JsonPropertyDescription("How its ingress takes events: who may post")
    private BrokerIngress ingress;

    public BrokerIngress getIngress() {
        return ingress;
    }

    public void setIngress(BrokerIngress ingress) {
        this.ingress = ingress;
    }

    public Integer getPartitions() {
        return partitions;
    }

    public void setPartitions(Integer partitions) {
        this.partitions = partitions;
    }

    public Integer getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(Integer replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public String getRetention() {
        return retention;
    }

    public void setRetention(String retention) {
        this.retention = retention;
    }
}
