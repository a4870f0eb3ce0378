/**
 * Who may post to a broker, decided without I/O: the policy of a broker's {@code spec.ingress.auth}
 * ({@link dev.surge.core.auth.IngressAuth}), the rules on a verified token's subject and claims
 * ({@link dev.surge.core.auth.AllowRule}) and the static tokens of a token file or Secret
 * ({@link dev.surge.core.auth.StaticTokens}). Verifying a JWT's signature and fetching keys or token files are
 * the runtime's (runtime/app, {@code dev.surge.runtime.auth}).
 */
package dev.surge.core.auth;
