package dev.surge.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TriggerFiltersTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final CloudEvent ORDER = CloudEventBuilder.v1()
            .withId("1").withSource(URI.create("/shop/eu")).withType("com.shop.order.placed")
            .withSubject("order-42").withTime(OffsetDateTime.parse("2026-11-24T10:00:00Z"))
            .withExtension("region", "eu-west").withExtension("priority", 7)
            .build();

    static Stream<Arguments> table() {
        return Stream.of(
                // dialect, filter (YAML), matches ORDER?
                Arguments.of("{exact: {type: com.shop.order.placed}}", true),
                Arguments.of("{exact: {type: com.shop.order}}", false),
                Arguments.of("{exact: {type: com.shop.order.placed, region: eu-west}}", true),
                Arguments.of("{exact: {type: com.shop.order.placed, region: us-east}}", false),
                Arguments.of("{exact: {missing: x}}", false),
                Arguments.of("{exact: {source: /shop/eu}}", true),
                Arguments.of("{exact: {time: '2026-11-24T10:00:00Z'}}", true),
                Arguments.of("{exact: {priority: '7'}}", true),
                Arguments.of("{prefix: {type: com.shop.}}", true),
                Arguments.of("{prefix: {type: com.bank.}}", false),
                Arguments.of("{prefix: {missing: a}}", false),
                Arguments.of("{suffix: {type: .placed}}", true),
                Arguments.of("{suffix: {type: .cancelled}}", false),
                Arguments.of("{all: [{prefix: {type: com.shop}}, {exact: {region: eu-west}}]}", true),
                Arguments.of("{all: [{prefix: {type: com.shop}}, {exact: {region: us-east}}]}", false),
                Arguments.of("{any: [{exact: {region: us-east}}, {exact: {subject: order-42}}]}", true),
                Arguments.of("{any: [{exact: {region: us-east}}, {exact: {subject: order-1}}]}", false),
                Arguments.of("{not: {exact: {region: us-east}}}", true),
                Arguments.of("{not: {exact: {region: eu-west}}}", false),
                Arguments.of("{not: {not: {suffix: {type: placed}}}}", true),
                Arguments.of("{cesql: \"type = 'com.shop.order.placed' AND priority > 5\"}", true),
                Arguments.of("{cesql: \"priority > 9\"}", false),
                Arguments.of("{cesql: \"type LIKE 'com.shop.%' AND region IN ('eu-west', 'eu-north')\"}", true),
                Arguments.of("{cesql: \"EXISTS region\"}", true),
                Arguments.of("{cesql: \"EXISTS tenant\"}", false),
                // an evaluation error (missing attribute) is never a match, as in Knative
                Arguments.of("{cesql: \"tenant = 'a'\"}", false),
                Arguments.of("{cesql: \"NOT (tenant = 'a')\"}", false),
                Arguments.of("{cesql: \"'a'\"}", false));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("table")
    void filterMatchesAsTheDialectSays(String filterYaml, boolean expected) throws Exception {
        TriggerFilter filter = TriggerFilters.compile(YAML.readTree(filterYaml), "spec.filters[0]");
        assertThat(filter.test(ORDER)).isEqualTo(expected);
    }

    @Test
    void attributesFilterIsAnExactMatchOfEveryAttribute() {
        assertThat(TriggerFilters.attributes(Map.of("type", "com.shop.order.placed", "region", "eu-west"))
                .test(ORDER)).isTrue();
        assertThat(TriggerFilters.attributes(Map.of("type", "com.shop.order.placed", "region", "x"))
                .test(ORDER)).isFalse();
        assertThat(TriggerFilters.attributes(Map.of()).test(ORDER)).isTrue();
    }

    @Test
    void filtersListMustAllMatch() throws Exception {
        JsonNode list = YAML.readTree("[{prefix: {type: com.shop}}, {suffix: {type: placed}}, {exact: {region: x}}]");
        assertThat(TriggerFilters.allOf(list, "spec.filters").test(ORDER)).isFalse();
        JsonNode ok = YAML.readTree("[{prefix: {type: com.shop}}, {suffix: {type: placed}}]");
        assertThat(TriggerFilters.allOf(ok, "spec.filters").test(ORDER)).isTrue();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("{exact: {type: a}, prefix: {type: b}}", "spec.filters[0]", "exactly one of"),
                Arguments.of("{regex: {type: a}}", "spec.filters[0]", "unknown filter dialect 'regex'"),
                Arguments.of("{exact: {}}", "spec.filters[0].exact", "at least one attribute"),
                Arguments.of("{prefix: {type: ''}}", "spec.filters[0].prefix.type", "must not be empty"),
                Arguments.of("{all: []}", "spec.filters[0].all", "non-empty list"),
                Arguments.of("{any: [{exact: {a: b}}, {nope: 1}]}", "spec.filters[0].any[1]", "unknown filter dialect"),
                Arguments.of("{not: [{exact: {a: b}}]}", "spec.filters[0].not", "exactly one of"),
                Arguments.of("{cesql: \"type = \"}", "spec.filters[0].cesql", "cannot parse"),
                Arguments.of("{cesql: 42}", "spec.filters[0].cesql", "expression string"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("invalid")
    void invalidFilterNamesTheFieldAndReason(String filterYaml, String field, String reason) throws Exception {
        assertThatThrownBy(() -> TriggerFilters.compile(YAML.readTree(filterYaml), "spec.filters[0]"))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(reason);
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void sameSpecCompilesToEqualFilters(String filterYaml, boolean ignored) throws Exception {
        TriggerFilter once = TriggerFilters.compile(YAML.readTree(filterYaml), "spec.filters[0]");
        TriggerFilter twice = TriggerFilters.compile(YAML.readTree(filterYaml), "spec.filters[0]");
        assertThat(once).isEqualTo(twice).hasSameHashCodeAs(twice);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void toStringRendersTheSpecThatCompilesBackToAnEqualFilter(String filterYaml, boolean matches) throws Exception {
        TriggerFilter filter = TriggerFilters.compile(YAML.readTree(filterYaml), "spec.filters[0]");
        TriggerFilter reread = TriggerFilters.compile(YAML.readTree(filter.toString()), "spec.filters[0]");
        assertThat(reread).isEqualTo(filter);
        assertThat(reread.test(ORDER)).isEqualTo(matches);
    }

    @Test
    void toStringReadsLikeTheSpec() throws Exception {
        TriggerFilter filter = TriggerFilters.allOf(YAML.readTree(
                "[{prefix: {type: com.shop}}, {not: {exact: {region: us}}}, {cesql: \"subject = 'a \\\"b\\\"'\"}]"),
                "spec.filters");
        assertThat(filter).hasToString("{all: [{prefix: {type: \"com.shop\"}}, {not: {exact: {region: \"us\"}}},"
                + " {cesql: \"subject = 'a \\\"b\\\"'\"}]}");
    }

    static Stream<Arguments> differentSpecs() {
        return Stream.of(
                Arguments.of("{exact: {type: a}}", "{exact: {type: b}}"),
                Arguments.of("{exact: {type: a}}", "{exact: {subject: a}}"),
                Arguments.of("{exact: {type: a}}", "{prefix: {type: a}}"),
                Arguments.of("{prefix: {type: a}}", "{suffix: {type: a}}"),
                Arguments.of("{exact: {type: a}}", "{exact: {type: a, region: eu}}"),
                Arguments.of("{all: [{exact: {type: a}}]}", "{any: [{exact: {type: a}}]}"),
                Arguments.of("{all: [{exact: {type: a}}]}", "{all: [{exact: {type: a}}, {exact: {region: eu}}]}"),
                Arguments.of("{not: {exact: {type: a}}}", "{exact: {type: a}}"),
                Arguments.of("{not: {exact: {type: a}}}", "{not: {exact: {type: b}}}"),
                Arguments.of("{cesql: \"type = 'a'\"}", "{cesql: \"type = 'b'\"}"));
    }

    @ParameterizedTest(name = "{0} != {1}")
    @MethodSource("differentSpecs")
    void differentSpecsCompileToUnequalFilters(String a, String b) throws Exception {
        TriggerFilter first = TriggerFilters.compile(YAML.readTree(a), "spec.filters[0]");
        TriggerFilter second = TriggerFilters.compile(YAML.readTree(b), "spec.filters[0]");
        assertThat(first).isNotEqualTo(second);
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void attributeOrderDoesNotMatterForEquality() throws Exception {
        TriggerFilter ab = TriggerFilters.compile(YAML.readTree("{exact: {type: a, region: eu}}"), "f");
        TriggerFilter ba = TriggerFilters.compile(YAML.readTree("{exact: {region: eu, type: a}}"), "f");
        assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
        assertThat(TriggerFilters.attributes(Map.of("type", "a", "region", "eu"))).isEqualTo(ab);
    }

    @Test
    void noFilterPassesEverythingAndIsLeftOutOfAConjunction() throws Exception {
        TriggerFilter exact = TriggerFilters.attributes(Map.of("type", "x"));
        assertThat(TriggerFilter.ALL.test(ORDER)).isTrue();
        assertThat(TriggerFilters.attributes(Map.of())).isEqualTo(TriggerFilter.ALL);
        assertThat(TriggerFilters.allOf(null, "spec.filters")).isEqualTo(TriggerFilter.ALL);
        assertThat(TriggerFilter.ALL.and(exact)).isEqualTo(exact);
        assertThat(exact.and(TriggerFilter.ALL)).isEqualTo(exact);
    }
}
