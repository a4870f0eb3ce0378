package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * A Trigger's {@code spec.delivery}: Knative's {@code DeliverySpec} names and Surge's own, the core's
 * {@code DeliverySpec}. That backoffCap is not below backoffDelay is checked by the core only: CEL has no
 * ISO-8601 durations.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerDelivery {
    @JsonPropertyDescription("Retries after the first attempt")
    @Default("10")
    @Min(0)
    @Max(1000)
    private Integer retry;

    @JsonPropertyDescription("How the pause before a retry grows: linear or exponential")
    @Default("exponential")
    private BackoffPolicy backoffPolicy;

    @JsonPropertyDescription("Base pause before a retry; ISO-8601, e.g. PT0.2S")
    @Default("PT0.2S")
    @Pattern(IsoDuration.POSITIVE)
    private String backoffDelay;

    @JsonPropertyDescription("Longest pause before a retry, also for a target's Retry-After; ISO-8601")
    @Default("PT30S")
    @Pattern(IsoDuration.POSITIVE)
    private String backoffCap;

    @JsonPropertyDescription("Time allowed for one attempt; ISO-8601")
    @Default("PT30S")
    @Pattern(IsoDuration.POSITIVE)
    private String timeout;

    @JsonPropertyDescription("Where undeliverable events go: one of topic, uri, function; none: log, count, move on")
    @Size(min = 1, max = 1) // minProperties/maxProperties: exactly one sink
    private DeadLetterSink deadLetterSink;

    @JsonPropertyDescription("unordered, ordered (per partition) or keyed (per partitionkey)")
    @Default("unordered")
    private Ordering ordering;

    @JsonPropertyDescription("Deliveries of this trigger in flight at once")
    @Default("100")
    @Min(1)
    @Max(10_000)
    private Integer maxInFlight;

    public Integer getRetry() {
        return retry;
    }

    public void setRetry(Integer retry) {
        this.retry = retry;
    }

    public BackoffPolicy getBackoffPolicy() {
        return backoffPolicy;
    }

    public void setBackoffPolicy(BackoffPolicy backoffPolicy) {
        this.backoffPolicy = backoffPolicy;
    }

    public String getBackoffDelay() {
        return backoffDelay;
    }

    public void setBackoffDelay(String backoffDelay) {
        this.backoffDelay = backoffDelay;
    }

    public String getBackoffCap() {
        return backoffCap;
    }

    public void setBackoffCap(String backoffCap) {
        this.backoffCap = backoffCap;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public DeadLetterSink getDeadLetterSink() {
        return deadLetterSink;
    }

    public void setDeadLetterSink(DeadLetterSink deadLetterSink) {
        this.deadLetterSink = deadLetterSink;
    }

    public Ordering getOrdering() {
        return ordering;
    }

    public void setOrdering(Ordering ordering) {
        this.ordering = ordering;
    }

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }
}
