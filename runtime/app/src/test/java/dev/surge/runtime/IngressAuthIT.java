package dev.surge.runtime;

import static dev.surge.runtime.testing.SurgeTestEnvironment.FIRST_TOKEN;
import static dev.surge.runtime.testing.SurgeTestEnvironment.NAMESPACE;
import static dev.surge.runtime.testing.SurgeTestEnvironment.OIDC_BROKER;
import static dev.surge.runtime.testing.SurgeTestEnvironment.OPEN_BROKER;
import static dev.surge.runtime.testing.SurgeTestEnvironment.OTHER_OIDC_BROKER;
import static dev.surge.runtime.testing.SurgeTestEnvironment.TOKENS_BROKER;
import static dev.surge.runtime.testing.TestingIssuer.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.surge.core.KafkaNames;
import dev.surge.runtime.testing.SurgeTestEnvironment;
import dev.surge.runtime.testing.TestingIssuer;
import dev.surge.runtime.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may post, through the real ingress: brokers with a token file, with an OIDC issuer whose keys this test made
 * and serves as a JWKS over HTTP (SurgeTestEnvironment), open, and without a policy; tokens signed as a real issuer
 * signs them. Every refusal is problem+json, and nothing refused reaches the broker's topic.
 */
@QuarkusTest
@QuarkusTestResource(value = SurgeTestEnvironment.class, restrictToAnnotatedClass = false)
class IngressAuthIT {
    static final String OIDC_AUDIENCE = "surge:test/" + OIDC_BROKER;
    /** Made here, never published: signs forged tokens. */
    static final PublicJsonWebKey FORGER = TestingIssuer.rsaKey("key-1");

    @Inject
    SurgeRuntime runtime;

    static String path(String broker) {
        return "/" + NAMESPACE + "/" + broker;
    }

    static RequestSpecification event(String id) {
        return given().header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/auth")
                .header("ce-type", "test.auth").contentType("application/json").body("{\"n\":1}");
    }

    Set<String> idsIn(String broker) {
        return TopicReader.readAll(runtime.kafka().bootstrapServers(), KafkaNames.brokerTopic(NAMESPACE, broker))
                .stream().map(r -> TopicReader.header(r, "ce_id")).collect(Collectors.toSet());
    }

    /** Refused as a problem, with nothing of it written. */
    void assertRefused(Response response, int status, String broker, String id) {
        response.then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("instance", equalTo(path(broker)));
        assertThat(idsIn(broker)).doesNotContain(id);
    }

    @Test
    void aTokensBrokerTakesATokenOfItsFileAndNothingElse() {
        String none = "tok-none-" + UUID.randomUUID();
        Response noToken = event(none).post(path(TOKENS_BROKER));
        assertThat(noToken.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"test/tokens-broker\"");
        noToken.then().body("detail", containsString("needs a bearer token"));
        assertRefused(noToken, 401, TOKENS_BROKER, none);

        String wrong = "tok-wrong-" + UUID.randomUUID();
        Response wrongToken = event(wrong).header("Authorization", "Bearer not-a-token-of-this-broker")
                .post(path(TOKENS_BROKER));
        assertThat(wrongToken.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertRefused(wrongToken, 401, TOKENS_BROKER, wrong);

        String ok = "tok-ok-" + UUID.randomUUID();
        event(ok).header("Authorization", "Bearer " + FIRST_TOKEN).post(path(TOKENS_BROKER)).then().statusCode(202);
        assertThat(idsIn(TOKENS_BROKER)).contains(ok);
    }

    @Test
    void anEditedTokenFileCountsWithoutARestart() throws Exception {
        String second = "tokens-broker-second-" + UUID.randomUUID();
        String third = "tokens-broker-third-" + UUID.randomUUID();
        try {
            // Rotation with overlap: the new token is added, clients move to it, then the old one is removed.
            Files.writeString(SurgeTestEnvironment.tokenFile(), FIRST_TOKEN + "\n" + second + "\n");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> event("rot-" + UUID.randomUUID())
                    .header("Authorization", "Bearer " + second).post(path(TOKENS_BROKER)).then().statusCode(202));
            Files.writeString(SurgeTestEnvironment.tokenFile(), third + "\n");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> event("rot-" + UUID.randomUUID())
                    .header("Authorization", "Bearer " + third).post(path(TOKENS_BROKER)).then().statusCode(202));
            for (String old : List.of(FIRST_TOKEN, second)) {
                String id = "rot-old-" + UUID.randomUUID();
                assertRefused(event(id).header("Authorization", "Bearer " + old).post(path(TOKENS_BROKER)), 401,
                        TOKENS_BROKER, id);
            }
        } finally {
            Files.writeString(SurgeTestEnvironment.tokenFile(), FIRST_TOKEN + "\n");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> event("rot-" + UUID.randomUUID())
                    .header("Authorization", "Bearer " + FIRST_TOKEN).post(path(TOKENS_BROKER)).then().statusCode(202));
        }
    }

    static Stream<Arguments> oidcTokens() {
        PublicJsonWebKey key = SurgeTestEnvironment.issuerKey();
        Instant now = Instant.now();
        return Stream.<Object[]>of(
                new Object[] {"valid, a writer", (Supplier<String>) () -> token("ada", OIDC_AUDIENCE)
                        .claim("groups", List.of("writers")).signedWith(key), 202, null},
                new Object[] {"valid, a service account of the namespace", (Supplier<String>) () ->
                        token("system:serviceaccount:test:checkout", OIDC_AUDIENCE).signedWith(key), 202, null},
                new Object[] {"expired", (Supplier<String>) () -> token("ada", OIDC_AUDIENCE)
                        .claim("groups", List.of("writers")).expires(now.minus(Duration.ofMinutes(10))).signedWith(key),
                        401, "the token has expired"},
                new Object[] {"wrong audience", (Supplier<String>) () -> token("ada", "surge:test/somewhere-else")
                        .claim("groups", List.of("writers")).signedWith(key), 401,
                        "the token is not valid for broker test/oidc-broker"},
                new Object[] {"wrong issuer", (Supplier<String>) () -> token("ada", OIDC_AUDIENCE)
                        .issuer("https://evil.example").claim("groups", List.of("writers")).signedWith(key), 401,
                        "the token is not valid for broker test/oidc-broker"},
                new Object[] {"bad signature", (Supplier<String>) () -> token("ada", OIDC_AUDIENCE)
                        .claim("groups", List.of("writers")).signedWith(FORGER), 401,
                        "the token is not valid for broker test/oidc-broker"},
                new Object[] {"alg none", (Supplier<String>) () -> token("ada", OIDC_AUDIENCE)
                        .claim("groups", List.of("writers")).unsigned(key.getKeyId()), 401,
                        "the token is not valid for broker test/oidc-broker"},
                new Object[] {"HS256 keyed with the public key", (Supplier<String>) () -> token("ada", OIDC_AUDIENCE)
                        .claim("groups", List.of("writers")).hmacWithPublicKey(key), 401,
                        "the token is not valid for broker test/oidc-broker"},
                new Object[] {"a claim the policy refuses", (Supplier<String>) () -> token("bob", OIDC_AUDIENCE)
                        .claim("groups", List.of("readers")).signedWith(key), 403,
                        "'bob' may not post to broker test/oidc-broker"},
                new Object[] {"a token for another broker", (Supplier<String>) () ->
                        token("ada", "surge:test/" + OTHER_OIDC_BROKER).claim("groups", List.of("writers"))
                                .signedWith(key), 401, "the token is not valid for broker test/oidc-broker"})
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("oidcTokens")
    void anOidcBrokerChecksSignatureIssuerAudienceTimesAndItsRules(String why, Supplier<String> jwt, int status,
            String detail) {
        String id = "oidc-" + UUID.randomUUID();
        Response response = event(id).header("Authorization", "Bearer " + jwt.get()).post(path(OIDC_BROKER));
        if (status == 202) {
            response.then().statusCode(202);
            assertThat(idsIn(OIDC_BROKER)).contains(id);
            return;
        }
        response.then().body("detail", containsString(detail));
        if (status == 401) {
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer realm=\"test/oidc-broker\", "
                    + "error=\"invalid_token\"");
        }
        assertRefused(response, status, OIDC_BROKER, id);
    }

    @Test
    void theTokenForAnotherBrokerIsValidThere() {
        String id = "oidc-other-" + UUID.randomUUID();
        event(id).header("Authorization", "Bearer " + token("ada", "surge:test/" + OTHER_OIDC_BROKER)
                .signedWith(SurgeTestEnvironment.issuerKey())).post(path(OTHER_OIDC_BROKER)).then().statusCode(202);
        assertThat(idsIn(OTHER_OIDC_BROKER)).contains(id);
    }

    @Test
    void aKeyTheIssuerAddsCountsAtOnceWithoutARestart() {
        TestingIssuer issuer = SurgeTestEnvironment.issuer();
        PublicJsonWebKey rotated = issuer.publish(TestingIssuer.rsaKey("key-rotated-" + UUID.randomUUID()));
        try {
            int fetchesBefore = issuer.fetches();
            String id = "oidc-rotated-" + UUID.randomUUID();
            // Not awaited: the unknown kid makes the ingress fetch the JWKS again, and the request waits for it.
            event(id).header("Authorization", "Bearer " + token("ada", OIDC_AUDIENCE)
                    .claim("groups", List.of("writers")).signedWith(rotated)).post(path(OIDC_BROKER))
                    .then().statusCode(202);
            assertThat(idsIn(OIDC_BROKER)).contains(id);
            assertThat(issuer.fetches()).isGreaterThan(fetchesBefore);
        } finally {
            issuer.retire(rotated);
        }
    }

    @Test
    void fromAnotherMachineOnlyABrokerWithAPolicyTakesEventsAndTheAdminEndpointsAnswerNot() {
        String address = nonLoopbackAddress();
        String id = "net-" + UUID.randomUUID();
        Response defaultBroker = event(id).baseUri("http://" + address).port(RestAssured.port).post(path(SurgeTestEnvironment.BROKER));
        defaultBroker.then().body("detail", equalTo("only requests from this machine (a loopback address) may reach"
                + " broker test/events; it has no spec.ingress.auth; set spec.ingress.auth.mode (open, tokens or oidc)"
                + " to accept events over the network"));
        assertRefused(defaultBroker, 403, SurgeTestEnvironment.BROKER, id);

        String open = "net-open-" + UUID.randomUUID();
        event(open).baseUri("http://" + address).port(RestAssured.port).post(path(OPEN_BROKER)).then().statusCode(202);
        assertThat(idsIn(OPEN_BROKER)).contains(open);

        String tokens = "net-tokens-" + UUID.randomUUID();
        event(tokens).baseUri("http://" + address).port(RestAssured.port).header("Authorization", "Bearer " + FIRST_TOKEN)
                .post(path(TOKENS_BROKER)).then().statusCode(202);

        for (String admin : List.of("/brokers", "/triggers", "/triggers/test/greet", "/functions",
                "/functions/test/greeter")) {
            given().baseUri("http://" + address).port(RestAssured.port).get(admin).then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", containsString("only requests from this machine (a loopback address) may"
                            + " reach Surge's admin and status endpoints; set surge.admin.auth-file"));
            given().get(admin).then().statusCode(200);
        }
        given().baseUri("http://" + address).port(RestAssured.port).header("ce-specversion", "1.0").header("ce-id", "1")
                .header("ce-source", "/test").header("ce-type", "dev.surge.greet").contentType("application/json")
                .body("{\"name\":\"Eve\"}").post("/functions/test/greeter").then().statusCode(403)
                .contentType("application/problem+json");
        assertThat(given().baseUri("http://" + address).port(RestAssured.port).get("/q/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void theBrokerListSaysEachPolicysModeAndNothingOfItsSecrets() {
        String brokers = given().get("/brokers").then().statusCode(200).extract().asString();
        assertThat(given().get("/brokers").jsonPath().getString("find { it.name == 'tokens-broker' }.auth"))
                .isEqualTo("tokens");
        assertThat(given().get("/brokers").jsonPath().getString("find { it.name == 'oidc-broker' }.auth"))
                .isEqualTo("oidc");
        assertThat(given().get("/brokers").jsonPath().getString("find { it.name == 'events' }.auth"))
                .isEqualTo("this-machine");
        assertThat(brokers).doesNotContain(FIRST_TOKEN, "writers", SurgeTestEnvironment.issuer().jwksUri());
    }

    /** An address of this machine other than loopback, which the test server (bound to every interface) answers on. */
    static String nonLoopbackAddress() {
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : nic.inetAddresses().toList()) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
        Assumptions.abort("this machine has no IPv4 address other than loopback to call from");
        return null;
    }
}
