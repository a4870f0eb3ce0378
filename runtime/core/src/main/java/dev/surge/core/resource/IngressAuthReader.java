package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.core.auth.AllowRule;
import dev.surge.core.auth.IngressAuth;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a policy of who may post: a Broker's {@code spec.ingress.auth}, or the runtime's admin policy file
 * ({@code surge.admin.auth-file}), which has the same fields. Every wrong field is reported with its path.
 */
public final class IngressAuthReader {
    /** A Secret's name: a DNS subdomain, as Kubernetes checks it. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A Secret's key, as Kubernetes checks it. */
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Set<String> MODES = Set.of("open", "tokens", "oidc");

    private final Path baseDir;

    /** @param baseDir folder that a relative {@code tokens.file} is resolved against */
    IngressAuthReader(Path baseDir) {
        this.baseDir = baseDir;
    }

    /**
     * Reads the admin policy file: one YAML mapping with the fields of a Broker's {@code spec.ingress.auth}.
     *
     * @param source how problems name the file
     * @throws InvalidResourcesException with every problem (fields named from the mapping's top, e.g.
     *                                   {@code oidc.issuer})
     */
    public static IngressAuth readPolicy(String yaml, String source, Path baseDir) throws InvalidResourcesException {
        List<JsonNode> documents = YamlDocuments.read(yaml, source);
        List<Problem> problems = new ArrayList<>();
        DocumentFields fields = new DocumentFields(source, 0, null, problems);
        JsonNode node = documents.size() == 1 ? documents.get(0) : null;
        IngressAuth auth = null;
        if (node == null || !node.isObject()) {
            fields.problem(null, "must be one YAML mapping with mode (open, tokens or oidc) and its fields, as a"
                    + " Broker's spec.ingress.auth");
        } else {
            auth = new IngressAuthReader(baseDir).read(node, "", fields);
        }
        if (!problems.isEmpty()) {
            throw new InvalidResourcesException(problems);
        }
        return auth;
    }

    /**
     * @param node   the {@code auth} mapping
     * @param prefix its path, e.g. {@code spec.ingress.auth.}
     * @return the policy, or {@link IngressAuth#DEFAULT} when it cannot be made (problems were reported)
     */
    IngressAuth read(JsonNode node, String prefix, DocumentFields fields) {
        if (!node.isObject()) {
            fields.problem(prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1),
                    "must be a mapping with mode (open, tokens or oidc)");
            return IngressAuth.DEFAULT;
        }
        fields.unknownFields(node, prefix, Set.of("mode", "tokens", "oidc"));
        String mode = fields.string(node, prefix, "mode");
        if (mode == null) {
            if (!node.has("mode")) {
                fields.problem(prefix + "mode", "is required: open, tokens or oidc");
            }
            return IngressAuth.DEFAULT;
        }
        if (!MODES.contains(mode)) {
            fields.problem(prefix + "mode", "'" + mode + "' is not one of [open, tokens, oidc]");
            return IngressAuth.DEFAULT;
        }
        for (String other : List.of("tokens", "oidc")) {
            if (!other.equals(mode) && node.has(other)) {
                fields.problem(prefix + other, "is read with mode: " + other + " only (mode is " + mode + ")");
            }
        }
        return switch (mode) {
            case "open" -> new IngressAuth.Open();
            case "tokens" -> tokens(node.path("tokens"), prefix + "tokens", fields);
            default -> oidc(node.path("oidc"), prefix + "oidc", fields);
        };
    }

    private IngressAuth tokens(JsonNode node, String field, DocumentFields fields) {
        if (!node.isObject()) {
            fields.problem(field, node.isMissingNode() ? "is required with mode: tokens: file and/or secretRef"
                    : "must be a mapping with file and/or secretRef");
            return IngressAuth.DEFAULT;
        }
        String prefix = field + ".";
        fields.unknownFields(node, prefix, Set.of("file", "secretRef"));
        String file = fields.string(node, prefix, "file");
        IngressAuth.SecretRef secret = null;
        JsonNode ref = node.path("secretRef");
        if (!ref.isMissingNode()) {
            secret = secretRef(ref, prefix + "secretRef", fields);
        }
        if (file == null && secret == null) {
            if (!node.has("file") && !node.has("secretRef")) {
                fields.problem(field, "needs a file (one token a line) and/or a secretRef (a Secret's key holding"
                        + " the same lines, read on Kubernetes)");
            }
            return IngressAuth.DEFAULT;
        }
        Path path = null;
        if (file != null) {
            path = baseDir.resolve(file).toAbsolutePath().normalize();
            if (Files.isDirectory(path)) {
                fields.problem(prefix + "file", "'" + file + "' is a folder; name a file of tokens, one a line");
            }
        }
        return new IngressAuth.Tokens(path, secret);
    }

    private static IngressAuth.SecretRef secretRef(JsonNode node, String field, DocumentFields fields) {
        if (!node.isObject()) {
            fields.problem(field, "must be a mapping with name and key");
            return null;
        }
        String prefix = field + ".";
        fields.unknownFields(node, prefix, Set.of("name", "key"));
        String name = fields.string(node, prefix, "name");
        String key = fields.string(node, prefix, "key");
        boolean ok = true;
        if (name == null) {
            ok = false;
            if (!node.has("name")) {
                fields.problem(prefix + "name", "is required: the Secret's name, in the broker's namespace");
            }
        } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            ok = false;
            fields.problem(prefix + "name", "'" + name + "' is not a Secret's name (lower-case letters, digits,"
                    + " '-' and '.', at most 253)");
        }
        if (key == null) {
            ok = false;
            if (!node.has("key")) {
                fields.problem(prefix + "key", "is required: the key of the Secret's data that holds the tokens");
            }
        } else if (key.length() > 253 || !SECRET_KEY.matcher(key).matches()) {
            ok = false;
            fields.problem(prefix + "key", "'" + key + "' is not a Secret's key (letters, digits, '-', '_', '.')");
        }
        return ok ? new IngressAuth.SecretRef(name, key) : null;
    }

    private static IngressAuth oidc(JsonNode node, String field, DocumentFields fields) {
        if (!node.isObject()) {
            fields.problem(field, node.isMissingNode() ? "is required with mode: oidc: issuer, audiences, jwksUri"
                    : "must be a mapping with issuer, audiences, jwksUri and allow");
            return IngressAuth.DEFAULT;
        }
        String prefix = field + ".";
        fields.unknownFields(node, prefix, Set.of("issuer", "audiences", "jwksUri", "allow"));
        boolean ok = true;
        String issuer = fields.string(node, prefix, "issuer");
        if (issuer == null) {
            ok = false;
            if (!node.has("issuer")) {
                fields.problem(prefix + "issuer", "is required: the tokens' iss, e.g. https://issuer.example.com");
            }
        }
        List<String> audiences = strings(node, prefix + "audiences", "audiences", fields);
        if (audiences.isEmpty()) {
            ok = false;
            if (!node.has("audiences")) {
                fields.problem(prefix + "audiences", "is required: the aud values that tokens for this broker carry"
                        + " (at least one)");
            }
        }
        URI jwks = null;
        String jwksText = fields.string(node, prefix, "jwksUri");
        if (jwksText == null) {
            ok = false;
            if (!node.has("jwksUri")) {
                fields.problem(prefix + "jwksUri", "is required: the URL of the issuer's signing keys (a JWKS)");
            }
        } else {
            int before = fields.problemCount();
            jwks = fields.httpUrl(jwksText, prefix + "jwksUri");
            ok &= jwks != null && fields.problemCount() == before;
        }
        List<AllowRule> allow = new ArrayList<>();
        JsonNode rules = node.path("allow");
        if (!rules.isMissingNode() && !rules.isNull()) {
            if (!rules.isArray()) {
                ok = false;
                fields.problem(prefix + "allow", "must be a list of rules, each with subject and/or claims");
            } else {
                for (int i = 0; i < rules.size(); i++) {
                    AllowRule rule = rule(rules.get(i), prefix + "allow[" + i + "]", fields);
                    if (rule == null) {
                        ok = false;
                    } else {
                        allow.add(rule);
                    }
                }
            }
        }
        return ok ? new IngressAuth.Oidc(issuer, audiences, jwks, allow) : IngressAuth.DEFAULT;
    }

    private static AllowRule rule(JsonNode node, String field, DocumentFields fields) {
        if (!node.isObject()) {
            fields.problem(field, "must be a mapping with subject and/or claims");
            return null;
        }
        String prefix = field + ".";
        fields.unknownFields(node, prefix, Set.of("subject", "claims"));
        int before = fields.problemCount();
        String subject = fields.string(node, prefix, "subject");
        if (subject != null && subject.indexOf('*') >= 0 && subject.indexOf('*') != subject.length() - 1) {
            fields.problem(prefix + "subject", "'" + subject + "': '*' may only end a subject (a prefix match)");
        }
        Map<String, String> claims = fields.stringMap(node, "claims", prefix + "claims");
        if (fields.problemCount() != before) {
            return null;
        }
        if (subject == null && claims.isEmpty()) {
            fields.problem(field, "needs a subject (exact, or a prefix ending with *) and/or claims (name: value)");
            return null;
        }
        return new AllowRule(subject, claims);
    }

    private static List<String> strings(JsonNode parent, String field, String key, DocumentFields fields) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isTextual() && !v.asText().isBlank()) {
            return List.of(v.asText());
        }
        List<String> out = new ArrayList<>();
        if (!v.isArray() || v.isEmpty()) {
            fields.problem(field, "must be a non-empty list of strings");
            return List.of();
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual() || v.get(i).asText().isBlank()) {
                fields.problem(field + "[" + i + "]", "must be a non-empty string");
                return List.of();
            }
            out.add(v.get(i).asText());
        }
        return out;
    }
}
