package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** {@code spec.ingress.auth}, as the core's {@code IngressAuthReader} reads it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.mode != 'tokens' || has(self.tokens)", message = "mode tokens needs tokens")
@ValidationRule(value = "self.mode != 'oidc' || has(self.oidc)", message = "mode oidc needs oidc")
@ValidationRule(value = "self.mode == 'tokens' || !has(self.tokens)", message = "tokens is read with mode tokens only")
@ValidationRule(value = "self.mode == 'oidc' || !has(self.oidc)", message = "oidc is read with mode oidc only")
public class IngressAuth {
    @JsonPropertyDescription("open (anyone), tokens (static bearer tokens) or oidc (JWTs of an issuer)")
    @Required
    private AuthMode mode;

    @JsonPropertyDescription("mode tokens: where the tokens are, one a line")
    private AuthTokens tokens;

    @JsonPropertyDescription("mode oidc: the issuer, the audiences, its keys and who may post")
    private AuthOidc oidc;

    public AuthMode getMode() {
        return mode;
    }

    public void setMode(AuthMode mode) {
        this.mode = mode;
    }

    public AuthTokens getTokens() {
        return tokens;
    }

    public void setTokens(AuthTokens tokens) {
        this.tokens = tokens;
    }

    public AuthOidc getOidc() {
        return oidc;
    }

    public void setOidc(AuthOidc oidc) {
        this.oidc = oidc;
    }
}
