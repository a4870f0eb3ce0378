package dev.surge.core.auth;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code oidc.allow}: the principals it lets post. As Knative's EventPolicy {@code from[].sub}, a
 * {@code subject} is matched exactly, or as a prefix when it ends with {@code *}; each of {@code claims} must be
 * the token's claim of that name (a string, number or boolean, compared as text) or be among its values (a
 * list, e.g. {@code groups}). A rule with both needs both.
 *
 * @param subject the subject, a prefix ending with {@code *}, or null for any
 * @param claims  claim name → required value; empty for none
 */
public record AllowRule(String subject, Map<String, String> claims) {
    public AllowRule {
        claims = Map.copyOf(claims);
        if (subject == null && claims.isEmpty()) {
            throw new IllegalArgumentException("a rule needs a subject or claims");
        }
    }

    /** Whether this rule lets {@code principal} post. */
    public boolean allows(Principal principal) {
        if (subject != null && !subjectMatches(principal.subject())) {
            return false;
        }
        for (Map.Entry<String, String> wanted : claims.entrySet()) {
            if (!claimHas(principal.claims().get(wanted.getKey()), wanted.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Whether any of {@code rules} allows {@code principal}; no rules allow every principal. */
    public static boolean anyAllows(List<AllowRule> rules, Principal principal) {
        return rules.isEmpty() || rules.stream().anyMatch(r -> r.allows(principal));
    }

    private boolean subjectMatches(String actual) {
        if (actual == null) {
            return false;
        }
        return subject.endsWith("*") ? actual.startsWith(subject.substring(0, subject.length() - 1))
                : actual.equals(subject);
    }

    private static boolean claimHas(Object claim, String value) {
        if (claim instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> isScalar(v) && Objects.equals(String.valueOf(v), value));
        }
        return isScalar(claim) && String.valueOf(claim).equals(value);
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean;
    }
}
