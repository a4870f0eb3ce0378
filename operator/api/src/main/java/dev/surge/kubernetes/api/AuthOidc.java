package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** An {@code oidc} policy: JWTs of one issuer for one of the audiences, signed by a key of its JWKS. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthOidc {
    @JsonPropertyDescription("The tokens' iss, e.g. https://issuer.example.com")
    @Required
    @Pattern(SurgeApi.NOT_BLANK)
    private String issuer;

    @JsonPropertyDescription("aud values a token for this Broker carries; one suffices")
    @Required
    @Size(min = 1)
    private List<String> audiences;

    @JsonPropertyDescription("URL of the issuer's signing keys (a JWKS)")
    @Required
    @Pattern(SurgeApi.HTTP_URL)
    private String jwksUri;

    @JsonPropertyDescription("Who may post, as Knative's EventPolicy from: any rule suffices; absent: every valid"
            + " token")
    private List<AuthAllowRule> allow;

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public List<String> getAudiences() {
        return audiences;
    }

    public void setAudiences(List<String> audiences) {
        this.audiences = audiences;
    }

    public String getJwksUri() {
        return jwksUri;
    }

    public void setJwksUri(String jwksUri) {
        this.jwksUri = jwksUri;
    }

    public List<AuthAllowRule> getAllow() {
        return allow;
    }

    public void setAllow(List<AuthAllowRule> allow) {
        this.allow = allow;
    }
}
