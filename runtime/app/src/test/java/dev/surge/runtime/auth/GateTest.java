package dev.surge.runtime.auth;

import static dev.surge.runtime.testing.TestingIssuer.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.auth.AllowRule;
import dev.surge.core.auth.IngressAuth;
import dev.surge.core.auth.StaticTokens;
import dev.surge.runtime.testing.TestingIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each mode's answers as a client sees them: status, WWW-Authenticate, and what the detail says. */
class GateTest {
    static final Denials ORDERS = Denials.broker("shop", "orders");
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    static Access.Denied denied(CompletableFuture<Access> access) {
        return (Access.Denied) access.join();
    }

    @Test
    void withoutPolicyOnlyThisMachineMayPost() {
        Gate gate = new Gate.ThisMachine(ORDERS, "set spec.ingress.auth.mode");
        assertThat(gate.check(new Caller(null, true)).join()).isEqualTo(Access.ALLOWED);
        Access.Denied d = denied(gate.check(new Caller("any-token-at-all-123", false)));
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.problem().getMessage()).isEqualTo("only requests from this machine (a loopback address) may reach"
                + " broker shop/orders; set spec.ingress.auth.mode");
        assertThat(d.wwwAuthenticate()).isNull();
    }

    @Test
    void tokensNeedOneOfTheList() {
        Gate gate = new Gate.Tokens(ORDERS, () -> StaticTokens.parse("orders-token-0123456789\n"));
        assertThat(gate.check(new Caller("orders-token-0123456789", false)).join()).isEqualTo(Access.ALLOWED);
        Access.Denied none = denied(gate.check(new Caller(null, true)));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.wwwAuthenticate()).isEqualTo("Bearer realm=\"shop/orders\"");
        assertThat(none.problem().getMessage()).isEqualTo("broker shop/orders needs a bearer token: send it as"
                + " 'Authorization: Bearer <token>'");
        Access.Denied wrong = denied(gate.check(new Caller("payments-token-0123456789", true)));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.wwwAuthenticate()).isEqualTo("Bearer realm=\"shop/orders\", error=\"invalid_token\","
                + " error_description=\"the token is not valid for broker shop/orders\"");
    }

    @Test
    void oidcAllowsWhatItsRulesAllowAndNamesTheBrokerWhenItRefuses() {
        PublicJsonWebKey key = TestingIssuer.rsaKey("k1");
        IngressAuth.Oidc policy = new IngressAuth.Oidc(TestingIssuer.ISSUER, List.of("surge:shop/orders"),
                URI.create("https://issuer.surge.test/keys"), List.of(new AllowRule(null, Map.of("groups", "writers"))));
        JwksKeys keys = new JwksKeys(policy.jwksUri(), uri -> CompletableFuture.completedFuture(
                new JsonWebKeySet(List.<JsonWebKey>of(key)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)), timer,
                Duration.ofMinutes(5), Duration.ofSeconds(1));
        Gate gate = new Gate.Oidc(ORDERS, policy, keys);

        String writer = token("ada", "surge:shop/orders").claim("groups", List.of("writers")).signedWith(key);
        assertThat(gate.check(new Caller(writer, false)).join()).isEqualTo(Access.ALLOWED);

        Access.Denied reader = denied(gate.check(new Caller(token("bob", "surge:shop/orders")
                .claim("groups", List.of("readers")).signedWith(key), false)));
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.problem().getMessage()).isEqualTo("'bob' may not post to broker shop/orders: no rule of its"
                + " policy allows this principal");

        Access.Denied expired = denied(gate.check(new Caller(token("ada", "surge:shop/orders")
                .claim("groups", List.of("writers")).expires(java.time.Instant.now().minusSeconds(600)).signedWith(key),
                false)));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.wwwAuthenticate()).contains("error=\"invalid_token\"", "the token has expired");

        assertThat(denied(gate.check(new Caller("not.a.jwt", false))).status()).isEqualTo(401);
    }

    @Test
    void oidcAnswers503WhenTheKeysCannotBeHad() {
        IngressAuth.Oidc policy = new IngressAuth.Oidc(TestingIssuer.ISSUER, List.of("a"),
                URI.create("https://issuer.surge.test/keys"), List.of());
        JwksKeys keys = new JwksKeys(policy.jwksUri(), uri -> CompletableFuture.failedFuture(
                new java.net.ConnectException("refused")), timer, Duration.ofMinutes(5), Duration.ofMillis(10));
        Access.Denied d = denied(new Gate.Oidc(ORDERS, policy, keys).check(new Caller(
                token("ada", "a").signedWith(TestingIssuer.rsaKey("k")), false)));
        assertThat(d.status()).isEqualTo(503);
        assertThat(d.retryAfterSeconds()).isEqualTo(5);
    }

    @Test
    void theBearerSchemeIsReadAsRfc6750SaysAndALoopbackAddressIsALiteral() {
        assertThat(Caller.bearer("Bearer abc")).isEqualTo("abc");
        assertThat(Caller.bearer("bearer   abc ")).isEqualTo("abc");
        assertThat(Caller.bearer("Basic YWRhOnB3")).isNull();
        assertThat(Caller.bearer("Bearer ")).isNull();
        assertThat(Caller.bearer(null)).isNull();
        assertThat(Caller.isLoopback(io.vertx.core.net.SocketAddress.inetSocketAddress(8080, "127.0.0.1"))).isTrue();
        assertThat(Caller.isLoopback(io.vertx.core.net.SocketAddress.inetSocketAddress(8080, "0:0:0:0:0:0:0:1"))).isTrue();
        assertThat(Caller.isLoopback(io.vertx.core.net.SocketAddress.inetSocketAddress(8080, "192.0.2.2"))).isFalse();
        assertThat(Caller.isLoopback(io.vertx.core.net.SocketAddress.inetSocketAddress(8080, "localhost"))).isFalse();
        assertThat(Caller.isLoopback(null)).isFalse();
    }
}
