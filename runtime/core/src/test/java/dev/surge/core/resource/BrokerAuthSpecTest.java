package dev.surge.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.auth.AllowRule;
import dev.surge.core.auth.IngressAuth;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A Broker's {@code spec.ingress.auth} as surge.yaml (and so {@code surge validate}) reads it. */
class BrokerAuthSpecTest {
    private static final Path BASE = Path.of("/home/ada/shop");

    private static Broker broker(String spec) throws InvalidResourcesException {
        return ResourceLoader.parse("""
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: orders, namespace: shop}
                spec:
                """ + spec.indent(2), "surge.yaml", BASE).broker("shop", "orders").orElseThrow();
    }

    @Test
    void aBrokerWithoutAuthIsForThisMachineOnly() throws Exception {
        assertThat(broker("partitions: 3").auth()).isEqualTo(IngressAuth.DEFAULT)
                .isInstanceOf(IngressAuth.ThisMachine.class);
    }

    @Test
    void readsEachMode() throws Exception {
        assertThat(broker("ingress: {auth: {mode: open}}").auth()).isEqualTo(new IngressAuth.Open());
        assertThat(broker("ingress: {auth: {mode: tokens, tokens: {file: secrets/orders.tokens}}}").auth())
                .isEqualTo(new IngressAuth.Tokens(Path.of("/home/ada/shop/secrets/orders.tokens"), null));
        assertThat(broker("""
                ingress:
                  auth:
                    mode: tokens
                    tokens:
                      file: orders.tokens
                      secretRef: {name: orders-tokens, key: tokens}""").auth())
                .isEqualTo(new IngressAuth.Tokens(Path.of("/home/ada/shop/orders.tokens"),
                        new IngressAuth.SecretRef("orders-tokens", "tokens")));
        assertThat(broker("""
                ingress:
                  auth:
                    mode: oidc
                    oidc:
                      issuer: https://login.example.com
                      audiences: [surge-orders]
                      jwksUri: https://login.example.com/keys
                      allow:
                        - subject: "system:serviceaccount:shop:*"
                        - claims: {groups: order-writers, tenant: acme}""").auth())
                .isEqualTo(new IngressAuth.Oidc("https://login.example.com", List.of("surge-orders"),
                        URI.create("https://login.example.com/keys"), List.of(
                                new AllowRule("system:serviceaccount:shop:*", Map.of()),
                                new AllowRule(null, Map.of("groups", "order-writers", "tenant", "acme")))));
    }

    @Test
    void theSamePolicyReadTwiceIsEqualSoTheBrokerIsUnchanged() throws Exception {
        String spec = "ingress: {auth: {mode: oidc, oidc: {issuer: i, audiences: a, jwksUri: 'http://k/keys',"
                + " allow: [{claims: {role: writer}}]}}}";
        assertThat(broker(spec)).isEqualTo(broker(spec));
        assertThat(broker(spec)).isNotEqualTo(broker(spec.replace("writer", "admin")));
    }

    static Stream<Arguments> wrongPolicies() {
        String at = "surge.yaml: document 1 (Broker/orders): ";
        return Stream.of(
                Arguments.of("ingress: {auth: {}}", at + "spec.ingress.auth.mode: is required: open, tokens or oidc"),
                Arguments.of("ingress: {auth: {mode: jwt}}",
                        at + "spec.ingress.auth.mode: 'jwt' is not one of [open, tokens, oidc]"),
                Arguments.of("ingress: {auth: open}",
                        at + "spec.ingress.auth: must be a mapping with mode (open, tokens or oidc)"),
                Arguments.of("ingress: {authz: {mode: open}}",
                        at + "spec.ingress.authz: unknown field; known fields here: auth"),
                Arguments.of("ingress: {auth: {mode: open, tokens: {file: t}}}",
                        at + "spec.ingress.auth.tokens: is read with mode: tokens only (mode is open)"),
                Arguments.of("ingress: {auth: {mode: tokens}}",
                        at + "spec.ingress.auth.tokens: is required with mode: tokens: file and/or secretRef"),
                Arguments.of("ingress: {auth: {mode: tokens, tokens: {}}}",
                        at + "spec.ingress.auth.tokens: needs a file (one token a line) and/or a secretRef (a Secret's"
                                + " key holding the same lines, read on Kubernetes)"),
                Arguments.of("ingress: {auth: {mode: tokens, tokens: {secretRef: {name: Orders, key: t}}}}",
                        at + "spec.ingress.auth.tokens.secretRef.name: 'Orders' is not a Secret's name (lower-case"
                                + " letters, digits, '-' and '.', at most 253)"),
                Arguments.of("ingress: {auth: {mode: tokens, tokens: {secretRef: {name: orders}}}}",
                        at + "spec.ingress.auth.tokens.secretRef.key: is required: the key of the Secret's data that"
                                + " holds the tokens"),
                Arguments.of("ingress: {auth: {mode: oidc}}",
                        at + "spec.ingress.auth.oidc: is required with mode: oidc: issuer, audiences, jwksUri"),
                Arguments.of("ingress: {auth: {mode: oidc, oidc: {audiences: [a], jwksUri: 'https://k/'}}}",
                        at + "spec.ingress.auth.oidc.issuer: is required: the tokens' iss, e.g."
                                + " https://issuer.example.com"),
                Arguments.of("ingress: {auth: {mode: oidc, oidc: {issuer: i, jwksUri: 'https://k/'}}}",
                        at + "spec.ingress.auth.oidc.audiences: is required: the aud values that tokens for this broker"
                                + " carry (at least one)"),
                Arguments.of("ingress: {auth: {mode: oidc, oidc: {issuer: i, audiences: [], jwksUri: 'https://k/'}}}",
                        at + "spec.ingress.auth.oidc.audiences: must be a non-empty list of strings"),
                Arguments.of("ingress: {auth: {mode: oidc, oidc: {issuer: i, audiences: [a], jwksUri: 'file:/k'}}}",
                        at + "spec.ingress.auth.oidc.jwksUri: 'file:/k' must be an absolute http or https URL"),
                Arguments.of("ingress: {auth: {mode: oidc, oidc: {issuer: i, audiences: [a], jwksUri: 'https://k/',"
                        + " allow: [{}]}}}", at + "spec.ingress.auth.oidc.allow[0]: needs a subject (exact, or a prefix"
                                + " ending with *) and/or claims (name: value)"),
                Arguments.of("ingress: {auth: {mode: oidc, oidc: {issuer: i, audiences: [a], jwksUri: 'https://k/',"
                        + " allow: [{subject: 'a*b'}]}}}",
                        at + "spec.ingress.auth.oidc.allow[0].subject: 'a*b': '*' may only end a subject (a prefix match)"),
                Arguments.of("ingress: {auth: {mode: oidc, oidc: {issuer: i, audiences: [a], jwksUri: 'https://k/',"
                        + " allow: [{claims: {groups: [a, b]}}]}}}",
                        at + "spec.ingress.auth.oidc.allow[0].claims.groups: must be a plain value"),
                Arguments.of("ingress: {auth: {mode: oidc, oidc: {issuer: i, audiences: [a], jwksUri: 'https://k/',"
                        + " allow: [{sub: x}]}}}",
                        at + "spec.ingress.auth.oidc.allow[0].sub: unknown field; known fields here: claims, subject"));
    }

    @ParameterizedTest
    @MethodSource("wrongPolicies")
    void aWrongPolicyIsNamedByItsField(String spec, String expected) {
        assertThatThrownBy(() -> broker(spec)).isInstanceOfSatisfying(InvalidResourcesException.class,
                e -> assertThat(e.problems()).map(Problem::toString).contains(expected));
    }

    @Test
    void theAdminPolicyFileHasTheSameFields() throws Exception {
        assertThat(IngressAuthReader.readPolicy("mode: tokens\ntokens: {file: admin.tokens}\n", "admin-auth.yaml", BASE))
                .isEqualTo(new IngressAuth.Tokens(Path.of("/home/ada/shop/admin.tokens"), null));
        assertThatThrownBy(() -> IngressAuthReader.readPolicy("mode: oidc\noidc: {issuer: i}\n", "admin-auth.yaml", BASE))
                .isInstanceOfSatisfying(InvalidResourcesException.class, e -> assertThat(e.problems())
                        .map(Problem::toString).contains(
                                "admin-auth.yaml: oidc.audiences: is required: the aud values that tokens for this"
                                        + " broker carry (at least one)",
                                "admin-auth.yaml: oidc.jwksUri: is required: the URL of the issuer's signing keys (a JWKS)"));
    }
}
