package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A Broker's {@code spec.ingress}: how its ingress takes events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BrokerIngress {
    @JsonPropertyDescription("Who may post: open, static bearer tokens, or OIDC/JWT. Absent: requests from the"
            + " ingress's own machine (loopback) only")
    private IngressAuth auth;

    public IngressAuth getAuth() {
        return auth;
    }

    public void setAuth(IngressAuth auth) {
        this.auth = auth;
    }
}
