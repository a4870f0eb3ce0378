package dev.surge.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A table of principals against rules of {@code oidc.allow}. */
class AllowRuleTest {
    private static final Principal WRITER = new Principal("system:serviceaccount:shop:checkout", Map.of(
            "groups", List.of("order-writers", "staff"), "tenant", "acme", "level", 3L, "admin", false,
            "address", Map.of("country", "de")));

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(new AllowRule("system:serviceaccount:shop:checkout", Map.of()), true),
                Arguments.of(new AllowRule("system:serviceaccount:shop:*", Map.of()), true),
                Arguments.of(new AllowRule("system:serviceaccount:billing:*", Map.of()), false),
                Arguments.of(new AllowRule("system:serviceaccount:shop:check", Map.of()), false),
                Arguments.of(new AllowRule(null, Map.of("groups", "order-writers")), true),
                Arguments.of(new AllowRule(null, Map.of("groups", "order-readers")), false),
                Arguments.of(new AllowRule(null, Map.of("tenant", "acme", "groups", "staff")), true),
                Arguments.of(new AllowRule(null, Map.of("tenant", "acme", "groups", "admins")), false),
                Arguments.of(new AllowRule(null, Map.of("level", "3")), true),
                Arguments.of(new AllowRule(null, Map.of("admin", "true")), false),
                Arguments.of(new AllowRule(null, Map.of("missing", "x")), false),
                // An object claim is never a value to compare: no accidental match on its text.
                Arguments.of(new AllowRule(null, Map.of("address", "{country=de}")), false),
                Arguments.of(new AllowRule("system:serviceaccount:shop:*", Map.of("tenant", "globex")), false));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("table")
    void aRuleAllowsWhatItNames(AllowRule rule, boolean allowed) {
        assertThat(rule.allows(WRITER)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void anyRuleOfTheListSuffices(AllowRule rule, boolean allowed) {
        AllowRule never = new AllowRule("nobody", Map.of());
        assertThat(AllowRule.anyAllows(List.of(never, rule), WRITER)).isEqualTo(allowed);
    }

    @org.junit.jupiter.api.Test
    void noRulesAllowEveryVerifiedPrincipalAndASubjectRuleNeedsASubject() {
        assertThat(AllowRule.anyAllows(List.of(), WRITER)).isTrue();
        assertThat(new AllowRule("*", Map.of()).allows(new Principal(null, Map.of()))).isFalse();
        assertThat(new AllowRule("*", Map.of()).allows(WRITER)).isTrue();
    }
}
