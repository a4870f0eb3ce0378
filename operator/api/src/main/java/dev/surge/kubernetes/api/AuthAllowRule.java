package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** One rule of {@code oidc.allow}: a subject (exact, or a prefix ending with *) and/or claims that must hold. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.subject) || has(self.claims)", message = "a rule needs a subject and/or claims")
public class AuthAllowRule {
    @JsonPropertyDescription("The token's sub, exactly, or a prefix when it ends with *")
    @Pattern("^[^*]+\\*?$|^\\*$")
    private String subject;

    @JsonPropertyDescription("Claim name: value; the claim must equal it, or contain it when it is a list")
    private Map<String, String> claims;

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public Map<String, String> getClaims() {
        return claims;
    }

    public void setClaims(Map<String, String> claims) {
        this.claims = claims;
    }
}
