package dev.surge.runtime.auth;

import dev.surge.core.auth.IngressAuth;
import dev.surge.core.auth.Principal;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Checks a JWT against an {@code oidc} policy and a set of public keys, with jose4j and without I/O: a signature
 * by one of the keys with an allowed algorithm, the issuer, one of the audiences, an expiry (required) and a
 * not-before time, each with {@link #CLOCK_SKEW_SECONDS} of tolerance.
 *
 * <p>Only asymmetric algorithms are allowed ({@link #ALGORITHMS}): {@code none} is refused, and so is every HMAC
 * algorithm, so that a public key from the JWKS can never be used as an HMAC secret to forge a token.
 */
final class JwtVerifier {
    /** How far the issuer's clock and Surge's may disagree on exp and nbf. */
    static final int CLOCK_SKEW_SECONDS = 30;
    static final String[] ALGORITHMS = {AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512, AlgorithmIdentifiers.EDDSA};

    /** What became of a token. */
    sealed interface Result {
    }

    record Verified(Principal principal) implements Result {
    }

    /** @param reason what failed, for Surge's log only (never the client's answer) */
    record Failed(Failure failure, String reason) implements Result {
    }

    enum Failure {
        EXPIRED, NOT_YET_VALID, INVALID
    }

    private final JwtConsumer consumer;

    JwtVerifier(IngressAuth.Oidc policy, List<JsonWebKey> keys) {
        JwksVerificationKeyResolver resolver = new JwksVerificationKeyResolver(keys);
        // A token without kid is checked against each key that fits, as issuers with one key often omit it.
        resolver.setDisambiguateWithVerifySignature(true);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setExpectedIssuer(policy.issuer())
                .setExpectedAudience(policy.audiences().toArray(String[]::new))
                .setVerificationKeyResolver(resolver)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS)
                .build();
    }

    Result verify(String token) {
        try {
            JwtClaims claims = consumer.processToClaims(token);
            return new Verified(new Principal(claims.getSubject(), claims.getClaimsMap()));
        } catch (InvalidJwtException e) {
            // jose4j checks the signature before the claims: only a token the issuer signed can be "expired".
            if (e.hasExpired()) {
                return new Failed(Failure.EXPIRED, e.getMessage());
            }
            if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
                return new Failed(Failure.NOT_YET_VALID, e.getMessage());
            }
            return new Failed(Failure.INVALID, e.getMessage());
        } catch (MalformedClaimException e) {
            return new Failed(Failure.INVALID, e.getMessage());
        }
    }

    /**
     * The {@code kid} of a token's header, read without checking anything else; null when it has none.
     *
     * @throws IllegalArgumentException when it is not a compact JWS or JWE at all
     */
    static String keyId(String token) {
        try {
            return JsonWebStructure.fromCompactSerialization(token).getKeyIdHeaderValue();
        } catch (JoseException | RuntimeException e) {
            throw new IllegalArgumentException("not a compact JWT: " + e.getMessage());
        }
    }

    static boolean hasKey(List<JsonWebKey> keys, String kid) {
        return kid == null || keys.stream().anyMatch(k -> kid.equals(k.getKeyId()));
    }
}
