package dev.surge.runtime.auth;

import dev.surge.core.auth.IngressAuth;

/** Kubernetes mode: a Secret's key holding tokens, one a line, watched (see {@code kubernetes.SecretTokens}). */
public interface TokenSecrets {
    /**
     * @param guarded how log lines name what the tokens guard, e.g. {@code broker shop/orders}
     */
    WatchedTokens watch(String namespace, IngressAuth.SecretRef secret, String guarded);
}
