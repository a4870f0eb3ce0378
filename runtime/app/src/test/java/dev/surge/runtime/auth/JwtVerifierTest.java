package dev.surge.runtime.auth;

import static dev.surge.runtime.testing.TestingIssuer.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.auth.IngressAuth;
import dev.surge.runtime.auth.JwtVerifier.Failed;
import dev.surge.runtime.auth.JwtVerifier.Failure;
import dev.surge.runtime.auth.JwtVerifier.Verified;
import dev.surge.runtime.testing.TestingIssuer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real tokens, signed with keys made here, against an oidc policy: each way a token can be wrong. */
class JwtVerifierTest {
    static final PublicJsonWebKey RSA = TestingIssuer.rsaKey("rsa-1");
    static final PublicJsonWebKey EC = TestingIssuer.ecKey("ec-1");
    /** Not in the verifier's keys; signs with the kid of a published one. */
    static final PublicJsonWebKey FORGER = TestingIssuer.rsaKey("rsa-1");
    static final IngressAuth.Oidc POLICY = new IngressAuth.Oidc(TestingIssuer.ISSUER, List.of("surge:shop/orders"),
            URI.create("https://issuer.surge.test/keys"), List.of());
    static final JwtVerifier VERIFIER = new JwtVerifier(POLICY, List.<JsonWebKey>of(RSA, EC));

    static Stream<Arguments> refused() {
        Instant now = Instant.now();
        return Stream.<Object[]>of(
                new Object[] {"expired ten minutes ago", (Supplier<String>) () -> token("ada", "surge:shop/orders")
                        .expires(now.minus(Duration.ofMinutes(10))).signedWith(RSA), Failure.EXPIRED},
                new Object[] {"not valid for ten minutes", (Supplier<String>) () -> token("ada", "surge:shop/orders")
                        .notBefore(now.plus(Duration.ofMinutes(10))).expires(now.plus(Duration.ofMinutes(20))).signedWith(RSA),
                        Failure.NOT_YET_VALID},
                new Object[] {"for another broker's audience", (Supplier<String>) () ->
                        token("ada", "surge:shop/payments").signedWith(RSA), Failure.INVALID},
                new Object[] {"from another issuer", (Supplier<String>) () -> token("ada", "surge:shop/orders")
                        .issuer("https://evil.example").signedWith(RSA), Failure.INVALID},
                new Object[] {"signed by another key with the same kid", (Supplier<String>) () ->
                        token("ada", "surge:shop/orders").signedWith(FORGER), Failure.INVALID},
                new Object[] {"alg none", (Supplier<String>) () -> token("ada", "surge:shop/orders").unsigned("rsa-1"),
                        Failure.INVALID},
                new Object[] {"HS256 keyed with the public key", (Supplier<String>) () ->
                        token("ada", "surge:shop/orders").hmacWithPublicKey(RSA), Failure.INVALID},
                new Object[] {"without exp", (Supplier<String>) () -> token("ada", "surge:shop/orders").expires(null)
                        .signedWith(RSA), Failure.INVALID},
                // An expired token that is forged too is not "expired": the signature is checked first.
                new Object[] {"expired and forged", (Supplier<String>) () -> token("ada", "surge:shop/orders")
                        .expires(now.minus(Duration.ofMinutes(10))).signedWith(FORGER), Failure.INVALID})
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aWrongTokenIsRefusedAndOnlyExpiryAndNotBeforeAreToldApart(String why, Supplier<String> token, Failure failure) {
        assertThat(VERIFIER.verify(token.get())).isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.failure()).as(f.reason()).isEqualTo(failure));
    }

    @Test
    void aValidTokenGivesItsSubjectAndClaims() {
        String jwt = token("system:serviceaccount:shop:checkout", "surge:shop/orders")
                .claim("groups", List.of("order-writers")).signedWith(RSA);
        assertThat(VERIFIER.verify(jwt)).isInstanceOfSatisfying(Verified.class, v -> {
            assertThat(v.principal().subject()).isEqualTo("system:serviceaccount:shop:checkout");
            assertThat(v.principal().claims()).containsEntry("groups", List.of("order-writers"))
                    .containsEntry("iss", TestingIssuer.ISSUER);
        });
        assertThat(VERIFIER.verify(token("ada", "surge:shop/orders").signedWith(EC))).isInstanceOf(Verified.class);
    }

    @Test
    void clocksMayDisagreeByHalfAMinute() {
        Instant now = Instant.now();
        assertThat(VERIFIER.verify(token("ada", "surge:shop/orders").expires(now.minusSeconds(10)).signedWith(RSA)))
                .isInstanceOf(Verified.class);
        assertThat(VERIFIER.verify(token("ada", "surge:shop/orders").notBefore(now.plusSeconds(10)).signedWith(RSA)))
                .isInstanceOf(Verified.class);
        assertThat(VERIFIER.verify(token("ada", "surge:shop/orders").expires(now.minusSeconds(90)).signedWith(RSA)))
                .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.failure()).isEqualTo(Failure.EXPIRED));
    }

    @Test
    void anyOfThePolicysAudiencesWillDo() {
        JwtVerifier two = new JwtVerifier(new IngressAuth.Oidc(TestingIssuer.ISSUER, List.of("a", "b"), POLICY.jwksUri(),
                List.of()), List.of(RSA));
        assertThat(two.verify(token("ada", "b").signedWith(RSA))).isInstanceOf(Verified.class);
        assertThat(two.verify(token("ada", "c").signedWith(RSA))).isInstanceOf(Failed.class);
    }

    @Test
    void theKidIsReadBeforeAnythingIsChecked() {
        assertThat(JwtVerifier.keyId(token("ada", "x").signedWith(EC))).isEqualTo("ec-1");
        assertThatThrownBy(() -> JwtVerifier.keyId("not-a-jwt")).isInstanceOf(IllegalArgumentException.class);
        assertThat(JwtVerifier.hasKey(List.of(RSA), "rsa-1")).isTrue();
        assertThat(JwtVerifier.hasKey(List.of(RSA), "rsa-2")).isFalse();
        assertThat(JwtVerifier.hasKey(List.of(RSA), null)).isTrue();
    }
}
