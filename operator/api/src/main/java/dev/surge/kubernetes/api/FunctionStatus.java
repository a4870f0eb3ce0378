package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Replicas of a Function, its backlog, and the scaler's last decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FunctionStatus extends SurgeStatus {
    @JsonPropertyDescription("Replicas running")
    private Integer replicas;

    @JsonPropertyDescription("Replicas ready to take deliveries")
    private Integer readyReplicas;

    @JsonPropertyDescription("Matching backlog of the function's triggers, as the scaler last read it")
    private Long lag;

    @JsonPropertyDescription("When the scaler last changed the replicas (RFC 3339)")
    private String lastScaleTime;

    @JsonPropertyDescription("Why the scaler last changed the replicas")
    private String lastScaleReason;

    @JsonPropertyDescription("When the scaler last saw work for the function (a matching backlog or an activation"
            + " request), RFC 3339; written while lag is 0, so that a new operator leader counts the cooldown from it")
    private String lastActiveTime;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Long getLag() {
        return lag;
    }

    public void setLag(Long lag) {
        this.lag = lag;
    }

    public String getLastScaleTime() {
        return lastScaleTime;
    }

    public void setLastScaleTime(String lastScaleTime) {
        this.lastScaleTime = lastScaleTime;
    }

    public String getLastScaleReason() {
        return lastScaleReason;
    }

    public void setLastScaleReason(String lastScaleReason) {
        this.lastScaleReason = lastScaleReason;
    }

    public String getLastActiveTime() {
        return lastActiveTime;
    }

    public void setLastActiveTime(String lastActiveTime) {
        this.lastActiveTime = lastActiveTime;
    }
}
