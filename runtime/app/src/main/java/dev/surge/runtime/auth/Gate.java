package dev.surge.runtime.auth;

import dev.surge.core.auth.AllowRule;
import dev.surge.core.auth.IngressAuth;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One policy in force, for one guarded thing (a broker, or the admin endpoints): decides about each request.
 * Every mode but {@code oidc} decides at once; {@code oidc} may wait for the issuer's keys.
 */
interface Gate extends AutoCloseable {
    CompletableFuture<Access> check(Caller caller);

    /** Called about once a second: token files are read again. */
    default void refresh() {
    }

    @Override
    default void close() {
    }

    static CompletableFuture<Access> now(Access access) {
        return CompletableFuture.completedFuture(access);
    }

    /** {@code mode: open}. */
    record Open() implements Gate {
        @Override
        public CompletableFuture<Access> check(Caller caller) {
            return now(Access.ALLOWED);
        }
    }

    /** No policy: this machine only. */
    record ThisMachine(Denials denials, String howToOpen) implements Gate {
        @Override
        public CompletableFuture<Access> check(Caller caller) {
            return now(caller.onLoopback() ? Access.ALLOWED : denials.notOnThisMachine(howToOpen));
        }
    }

    /** {@code mode: tokens}. */
    record Tokens(Denials denials, WatchedTokens tokens) implements Gate {
        @Override
        public CompletableFuture<Access> check(Caller caller) {
            if (caller.bearerToken() == null) {
                return now(denials.noToken());
            }
            return now(tokens.current().accepts(caller.bearerToken()) ? Access.ALLOWED : denials.invalidToken());
        }

        @Override
        public void refresh() {
            tokens.refresh();
        }

        @Override
        public void close() {
            tokens.close();
        }
    }

    /** {@code mode: oidc}. */
    final class Oidc implements Gate {
        private static final Logger LOG = Logger.getLogger(Oidc.class);

        private final Denials denials;
        private final IngressAuth.Oidc policy;
        private final JwksKeys keys;
        private volatile Checked checked;

        /** The verifier of one key set, built once per set. */
        private record Checked(JwksKeys.KeySet keys, JwtVerifier verifier) {
        }

        Oidc(Denials denials, IngressAuth.Oidc policy, JwksKeys keys) {
            this.denials = denials;
            this.policy = policy;
            this.keys = keys;
            keys.current(); // fetch ahead of the first request
        }

        @Override
        public CompletableFuture<Access> check(Caller caller) {
            String token = caller.bearerToken();
            if (token == null) {
                return now(denials.noToken());
            }
            String kid;
            try {
                kid = JwtVerifier.keyId(token);
            } catch (IllegalArgumentException e) {
                LOG.debugf("%s: token refused: %s", denials.guarded(), e.getMessage());
                return now(denials.invalidToken());
            }
            long asked = System.nanoTime();
            return keys.current()
                    .thenCompose(set -> set.has(kid) ? CompletableFuture.completedFuture(set)
                            : keys.fetchedSince(asked).exceptionally(e -> set))
                    .thenApply(set -> decide(token, set))
                    .exceptionally(e -> denials.keysUnavailable());
        }

        private Access decide(String token, JwksKeys.KeySet set) {
            Checked c = checked;
            if (c == null || c.keys() != set) {
                c = new Checked(set, new JwtVerifier(policy, set.keys()));
                checked = c;
            }
            JwtVerifier.Result result = c.verifier().verify(token);
            if (result instanceof JwtVerifier.Verified v) {
                if (AllowRule.anyAllows(policy.allow(), v.principal())) {
                    return Access.ALLOWED;
                }
                LOG.debugf("%s: %s is not allowed", denials.guarded(), v.principal().describe());
                return denials.notAllowed(v.principal());
            }
            JwtVerifier.Failed f = (JwtVerifier.Failed) result;
            LOG.debugf("%s: token refused: %s", denials.guarded(), f.reason());
            return switch (f.failure()) {
                case EXPIRED -> denials.expired();
                case NOT_YET_VALID -> denials.notYetValid();
                case INVALID -> denials.invalidToken();
            };
        }
    }
}
