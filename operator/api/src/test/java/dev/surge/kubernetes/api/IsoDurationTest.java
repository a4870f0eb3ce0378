package dev.surge.kubernetes.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.resource.ResourceLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRDs' duration patterns accept exactly what the core accepts (a positive {@link java.time.Duration#parse}
 * text), except texts with a '-', which the patterns refuse. Checked on a table and on random texts, with the
 * API server's regular expressions (RE2) and Java's.
 */
class IsoDurationTest {
    private static final com.google.re2j.Pattern POSITIVE = com.google.re2j.Pattern.compile(IsoDuration.POSITIVE);
    private static final com.google.re2j.Pattern POSITIVE_OR_ZERO =
            com.google.re2j.Pattern.compile(IsoDuration.POSITIVE_OR_ZERO);

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "PT30S, true", "P7D, true", "PT0.2S, true", "PT1H30M, true", "pt30s, true", "P1DT2H3M4.5S, true",
        "'PT0,5S', true", "PT1.S, true", "+PT30S, true", "P+1D, true", "P0DT0H0M0.000000001S, true", "PT0S, false",
        "P0D, false", "PT0.0S, false", "PT, false", "P, false", "P1DT, false", "30s, false", "P1W, false",
        "P1M, false", "P1Y, false", "PT.5S, false", "PT0.0000000001S, false", "' PT1S', false", "'PT1S ', false",
        "P1DT1H1M1S1S, false", "P1Dt, true", "P0Dt, false" })
    void patternAndCoreAgree(String text, boolean positive) {
        assertThat(coreAcceptsAsRetention(text)).isEqualTo(positive);
        assertThat(POSITIVE.matches(text)).isEqualTo(positive);
        assertThat(text.matches(IsoDuration.POSITIVE)).isEqualTo(positive);
    }

    @Test
    void patternAndCoreAgreeOnRandomTexts() {
        Random random = new Random(20261124);
        String alphabet = "PPPTTDHMSptdhms0001123456789.,+";
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = i % 2 == 0 ? noise(random, alphabet) : nearlyWellFormed(random);
            boolean core = coreAcceptsAsRetention(text);
            accepted += core ? 1 : 0;
            if (core != POSITIVE.matches(text)) {
                disagreements.add(text + (core ? " (core accepts)" : " (core refuses)"));
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(accepted).as("the random texts hold positive durations too").isGreaterThan(2_000);
    }

    /** P or PT and up to 8 characters of the alphabet: mostly not durations at all. */
    private static String noise(Random random, String alphabet) {
        StringBuilder text = new StringBuilder(random.nextBoolean() ? "P" : "PT");
        for (int n = random.nextInt(8); n > 0; n--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Components in order, each maybe absent, zero, with a sign, in either case, with 0 to 10 fraction digits. */
    private static String nearlyWellFormed(Random random) {
        StringBuilder text = new StringBuilder(random.nextInt(10) == 0 ? "+P" : "P");
        component(random, text, "D");
        if (random.nextInt(5) > 0) {
            text.append(random.nextBoolean() ? 'T' : 't');
            component(random, text, "H");
            component(random, text, "M");
            if (random.nextBoolean()) {
                text.append(number(random));
                if (random.nextBoolean()) {
                    text.append(random.nextBoolean() ? '.' : ',');
                    for (int n = random.nextInt(11); n > 0; n--) {
                        text.append(random.nextInt(4) == 0 ? (char) ('0' + random.nextInt(10)) : '0');
                    }
                }
                text.append(random.nextBoolean() ? 'S' : 's');
            }
        }
        return text.toString();
    }

    private static void component(Random random, StringBuilder text, String unit) {
        if (random.nextBoolean()) {
            text.append(random.nextInt(10) == 0 ? "+" : "").append(number(random))
                    .append(random.nextBoolean() ? unit : unit.toLowerCase());
        }
    }

    private static String number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "0";
            case 1 -> "00";
            default -> Integer.toString(random.nextInt(100));
        };
    }

    @Test
    void aMinusIsRefusedByThePatternEvenWhereTheCoreAcceptsIt() {
        assertThat(coreAcceptsAsRetention("-P-7D")).isTrue();
        assertThat(POSITIVE.matches("-P-7D")).isFalse();
        assertThat(coreAcceptsAsRetention("-PT30S")).isFalse();
        assertThat(POSITIVE.matches("-PT30S")).isFalse();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({ "PT0S, true", "PT30S, true", "pt0s, false", "PT0M, false", "P0D, false", "PT0.0S, false" })
    void onlyPt0sTurnsTheStabilizationWindowOff(String text, boolean accepted) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("image", "greeter:1");
        spec.putObject("scaling").put("stabilizationWindow", text);

        assertThat(coreAccepts("Function", spec)).isEqualTo(accepted);
        assertThat(POSITIVE_OR_ZERO.matches(text)).isEqualTo(accepted);
    }

    private static boolean coreAcceptsAsRetention(String text) {
        return coreAccepts("Broker", JsonNodeFactory.instance.objectNode().put("retention", text));
    }

    private static boolean coreAccepts(String kind, ObjectNode spec) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("apiVersion", SurgeApi.API_VERSION).put("kind", kind);
        doc.putObject("metadata").put("name", "example");
        doc.set("spec", spec);
        return ResourceLoader.readEach(List.of(doc), "test", Path.of("/srv"), false).get(0).valid();
    }
}
