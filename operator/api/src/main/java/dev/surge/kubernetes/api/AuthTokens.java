package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a {@code tokens} policy's tokens are: a Secret's key on Kubernetes, a file in local mode. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.file) || has(self.secretRef)", message = "tokens need a file and/or a secretRef")
public class AuthTokens {
    @JsonPropertyDescription("A file of tokens, one a line (local mode; on Kubernetes read only without secretRef,"
            + " from the ingress's file system)")
    @Pattern(SurgeApi.NOT_BLANK)
    private String file;

    @JsonPropertyDescription("A key of a Secret in the Broker's namespace holding the tokens, one a line; watched")
    private SecretKeyRef secretRef;

    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    public SecretKeyRef getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretKeyRef secretRef) {
        this.secretRef = secretRef;
    }
}
