package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A Function's {@code spec.scaling}: KEDA's Kafka scaler's names, the core's {@code ScalingPolicy}.
 * {@code maxReplicas} has no schema default on purpose: the core's default is 5, or minReplicas when that is
 * higher, which a constant default would contradict.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.maxReplicas) || self.maxReplicas >= (has(self.minReplicas) ? self.minReplicas : 0)",
        message = "maxReplicas must not be below minReplicas")
public class FunctionScaling {
    @JsonPropertyDescription("Replicas when idle; 0 scales to zero")
    @Default("0")
    @Min(0)
    @Max(1000)
    private Integer minReplicas;

    @JsonPropertyDescription("Upper bound of replicas (default 5, or minReplicas when higher)")
    @Min(1)
    @Max(1000)
    private Integer maxReplicas;

    @JsonPropertyDescription("Target backlog per replica: replicas = ceil(backlog / lagThreshold)")
    @Default("10")
    @Min(1)
    @Max(Integer.MAX_VALUE)
    private Integer lagThreshold;

    @JsonPropertyDescription("Backlog above which a function at zero starts")
    @Default("0")
    @Min(0)
    @Max(Integer.MAX_VALUE)
    private Integer activationLagThreshold;

    @JsonPropertyDescription("Idle time (no backlog, nothing in flight) before going to zero; ISO-8601, e.g. PT30S")
    @Default("PT30S")
    @Pattern(IsoDuration.POSITIVE)
    private String cooldownPeriod;

    @JsonPropertyDescription("How often the backlog is read; ISO-8601, e.g. PT1S")
    @Default("PT1S")
    @Pattern(IsoDuration.POSITIVE)
    private String pollingInterval;

    @JsonPropertyDescription("A scale-down takes the highest replicas of this window; ISO-8601, PT0S for none")
    @Default("PT30S")
    @Pattern(IsoDuration.POSITIVE_OR_ZERO)
    private String stabilizationWindow;

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Integer getLagThreshold() {
        return lagThreshold;
    }

    public void setLagThreshold(Integer lagThreshold) {
        this.lagThreshold = lagThreshold;
    }

    public Integer getActivationLagThreshold() {
        return activationLagThreshold;
    }

    public void setActivationLagThreshold(Integer activationLagThreshold) {
        this.activationLagThreshold = activationLagThreshold;
    }

    public String getCooldownPeriod() {
        return cooldownPeriod;
    }

    public void setCooldownPeriod(String cooldownPeriod) {
        this.cooldownPeriod = cooldownPeriod;
    }

    public String getPollingInterval() {
        return pollingInterval;
    }

    public void setPollingInterval(String pollingInterval) {
        this.pollingInterval = pollingInterval;
    }

    public String getStabilizationWindow() {
        return stabilizationWindow;
    }

    public void setStabilizationWindow(String stabilizationWindow) {
        this.stabilizationWindow = stabilizationWindow;
    }
}
