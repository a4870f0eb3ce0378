package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** In which order a trigger delivers, as the core's {@code Ordering}; written in lower case. */
public enum Ordering {
    @JsonProperty("unordered")
    UNORDERED,
    @JsonProperty("ordered")
    ORDERED,
    @JsonProperty("keyed")
    KEYED
}
