package dev.surge.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceQuantityTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "0, 0", "2, 2", "+2, 2", "-1, -1", "0.5, 0.5", "1., 1", ".5, 0.5",
            "500m, 0.5", "250u, 0.000250", "3n, 0.000000003",
            "1k, 1000", "1M, 1000000", "2G, 2000000000", "1T, 1E12", "1P, 1E15", "1E, 1E18",
            "1Ki, 1024", "128Mi, 134217728", "0.5Gi, 536870912", "1Ti, 1099511627776", "1Pi, 1125899906842624",
            "1Ei, 1152921504606846976",
            "1e3, 1000", "1E3, 1000", "5e-1, 0.5", "2E+2, 200" })
    void aQuantityHasTheValueKubernetesGivesIt(String text, BigDecimal value) {
        assertThat(ResourceQuantity.parse(text)).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(value));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "lots", "1 Gi", " 1", "1K", "1ki", "256MB", "1.5.2", "Mi", ".", "e3", "1e", "1e1.5",
            "1Gii", "0x10", "1,5", "--1" })
    void whatKubernetesRefusesIsNoQuantity(String text) {
        assertThat(ResourceQuantity.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "+1", "500m", "1.5Gi", "2e3", "1E-3", "7E" })
    void theCrdsPatternTakesEveryQuantityThatIsNotNegative(String text) {
        assertThat(Pattern.compile(ResourceQuantity.NON_NEGATIVE).matcher(text).matches()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1", "-0.5Gi", "lots", "256MB", "1e1.5", "" })
    void theCrdsPatternRefusesNegativesAndWhatIsNoQuantity(String text) {
        assertThat(Pattern.compile(ResourceQuantity.NON_NEGATIVE).matcher(text).matches()).isFalse();
    }
}
