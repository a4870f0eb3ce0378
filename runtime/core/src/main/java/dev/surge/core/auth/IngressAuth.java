package dev.surge.core.auth;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Who may post to a broker: its {@code spec.ingress.auth}. A value, compared by value, so that a changed policy is
 * a changed broker and the same YAML read twice is the same policy.
 *
 * <p>Without {@code spec.ingress.auth} a broker is {@link ThisMachine}: open to requests that reach Surge on a
 * loopback interface, refused on any other, so that nothing that writes events is open to a network by default.
 */
public sealed interface IngressAuth {
    /** The policy of a broker that names none. */
    IngressAuth DEFAULT = new ThisMachine();

    /** The {@code mode} as written in YAML. */
    String mode();

    /** No {@code spec.ingress.auth}: anyone on this machine (a loopback interface), nobody else. */
    record ThisMachine() implements IngressAuth {
        @Override
        public String mode() {
            return "this-machine";
        }
    }

    /** {@code mode: open}: anyone who reaches the ingress, on any interface. */
    record Open() implements IngressAuth {
        @Override
        public String mode() {
            return "open";
        }
    }

    /**
     * {@code mode: tokens}: a request must carry one of a list of static bearer tokens.
     *
     * @param file   a file of tokens, one a line (local mode; also read on Kubernetes when there is no
     *               {@code secretRef}), absolute; null when not given
     * @param secret a Kubernetes Secret's key holding the same lines (Kubernetes mode); null when not given
     */
    record Tokens(Path file, SecretRef secret) implements IngressAuth {
        public Tokens {
            if (file == null && secret == null) {
                throw new IllegalArgumentException("tokens need a file or a secretRef");
            }
        }

        @Override
        public String mode() {
            return "tokens";
        }
    }

    /**
     * {@code mode: oidc}: a request must carry a JWT signed by a key of {@code jwksUri}, issued by {@code issuer}
     * for one of {@code audiences}, neither expired nor before its not-before time, and allowed by one of
     * {@code allow} (every valid token when {@code allow} is empty).
     */
    record Oidc(String issuer, List<String> audiences, URI jwksUri, List<AllowRule> allow) implements IngressAuth {
        public Oidc {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(jwksUri, "jwksUri");
            audiences = List.copyOf(audiences);
            allow = List.copyOf(allow);
            if (audiences.isEmpty()) {
                throw new IllegalArgumentException("oidc needs at least one audience");
            }
        }

        @Override
        public String mode() {
            return "oidc";
        }
    }

    /** A key of a Secret in the broker's namespace. */
    record SecretRef(String name, String key) {
        public SecretRef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
        }
    }
}
