package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The mode of a policy of who may post; written in lower case. */
public enum AuthMode {
    @JsonProperty("open")
    OPEN,
    @JsonProperty("tokens")
    TOKENS,
    @JsonProperty("oidc")
    OIDC
}
