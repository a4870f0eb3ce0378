package dev.surge.runtime.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * An OIDC issuer for tests: key pairs made here, their public halves served as a JWKS over HTTP
 * ({@code GET /keys}, a real JDK HTTP server on loopback), and tokens signed with them. Keys can be published and
 * retired while it runs (rotation). Tokens are built as a real issuer's: {@code iss}, {@code aud}, {@code sub},
 * {@code exp}, {@code nbf}, {@code iat}, a {@code kid} header.
 */
public final class TestingIssuer implements AutoCloseable {
    public static final String ISSUER = "https://issuer.surge.test";

    private final HttpServer server;
    private final List<PublicJsonWebKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    public TestingIssuer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/keys", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JsonWebKeySet(List.<JsonWebKey>copyOf(published))
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/keys";
    }

    /** How many times the JWKS was fetched. */
    public int fetches() {
        return fetches.get();
    }

    /** A new RSA 2048 key, not yet in the JWKS. */
    public static PublicJsonWebKey rsaKey(String kid) {
        try {
            PublicJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new P-256 key, not yet in the JWKS. */
    public static PublicJsonWebKey ecKey(String kid) {
        try {
            PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts the key's public half in the JWKS. */
    public PublicJsonWebKey publish(PublicJsonWebKey key) {
        published.add(key);
        return key;
    }

    /** Takes the key out of the JWKS. */
    public void retire(PublicJsonWebKey key) {
        published.remove(key);
    }

    /** A token as the issuer would sign it: valid for five minutes from now, for {@code audience}. */
    public static Token token(String subject, String audience) {
        return new Token().subject(subject).audience(audience);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The claims and header of a token to sign. */
    public static final class Token {
        private final JwtClaims claims = new JwtClaims();
        private String issuer = ISSUER;
        private Instant expires = Instant.now().plus(Duration.ofMinutes(5));
        private Instant notBefore = Instant.now().minus(Duration.ofMinutes(1));

        public Token subject(String subject) {
            claims.setSubject(subject);
            return this;
        }

        public Token audience(String... audience) {
            claims.setAudience(audience);
            return this;
        }

        public Token issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Token expires(Instant at) {
            this.expires = at;
            return this;
        }

        public Token notBefore(Instant at) {
            this.notBefore = at;
            return this;
        }

        public Token claim(String name, Object value) {
            claims.setClaim(name, value);
            return this;
        }

        public Token claims(Map<String, Object> values) {
            values.forEach(claims::setClaim);
            return this;
        }

        private String payload() {
            claims.setIssuer(issuer);
            if (expires != null) {
                claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
            }
            if (notBefore != null) {
                claims.setNotBefore(NumericDate.fromSeconds(notBefore.getEpochSecond()));
            }
            // As a real issuer: issued before it expires (jose4j refuses exp before iat, as it should).
            Instant issued = expires != null && expires.isBefore(Instant.now()) ? expires.minus(Duration.ofMinutes(5))
                    : Instant.now();
            claims.setIssuedAt(NumericDate.fromSeconds(issued.getEpochSecond()));
            return claims.toJson();
        }

        /** Signed with the key's private half, RS256 for RSA and ES256 for EC, its kid in the header. */
        public String signedWith(PublicJsonWebKey key) {
            String alg = "EC".equals(key.getKeyType()) ? AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256
                    : AlgorithmIdentifiers.RSA_USING_SHA256;
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(payload());
            jws.setAlgorithmHeaderValue(alg);
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setKey(key.getPrivateKey());
            return serialize(jws);
        }

        /** {@code alg: none}: no signature at all, the kid of a published key in the header. */
        public String unsigned(String kid) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(payload());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
            jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
            jws.setKeyIdHeaderValue(kid);
            return serialize(jws);
        }

        /**
         * HS256 with the published key's public half as the HMAC secret: the algorithm confusion attack on a
         * verifier that lets the token choose its algorithm.
         */
        public String hmacWithPublicKey(PublicJsonWebKey key) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(payload());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setKey(new HmacKey(key.getPublicKey().getEncoded()));
            jws.setDoKeyValidation(false);
            return serialize(jws);
        }

        private static String serialize(JsonWebSignature jws) {
            try {
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
