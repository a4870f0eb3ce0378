package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the pause before a retry grows, as the core's {@code BackoffPolicy}; written in lower case. */
public enum BackoffPolicy {
    @JsonProperty("linear")
    LINEAR,
    @JsonProperty("exponential")
    EXPONENTIAL
}
