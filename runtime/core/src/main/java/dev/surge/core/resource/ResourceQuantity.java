package dev.surge.core.resource;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 0.5}, {@code 128Mi}, {@code 1G}, {@code 2e3}), as the API
 * server parses it (apimachinery's {@code ParseQuantity}): a signed decimal number and one optional suffix — binary
 * ({@code Ki} … {@code Ei}), decimal ({@code n u m k M G T P E}) or a decimal exponent ({@code e3}, {@code E-2}).
 * Here so that {@code surge validate} and the operator refuse what a Deployment would, before anything is written;
 * slightly stricter than the server in degenerate cases it also takes ({@code .}, a suffix without a number).
 */
public final class ResourceQuantity {
    private static final String NUMBER = "(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)";
    private static final String SUFFIX = "(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]{1,9})";
    /**
     * A quantity that is not negative, as a container's requests and limits must be: the CRD's pattern for them
     * (RE2 and Java read it alike), so the API server refuses other text at the door.
     */
    public static final String NON_NEGATIVE = "^\\+?" + NUMBER + SUFFIX + "?$";
    private static final Pattern QUANTITY = Pattern.compile("([+-]?" + NUMBER + ")(" + SUFFIX + ")?");
    private static final Map<String, Integer> BINARY = Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50,
            "Ei", 60);
    private static final Map<String, Integer> DECIMAL = Map.of("n", -9, "u", -6, "m", -3, "k", 3, "M", 6, "G", 9,
            "T", 12, "P", 15, "E", 18);

    private ResourceQuantity() {
    }

    /** The quantity's value (e.g. {@code 0.5} for {@code 500m}), or empty when the text is not a quantity. */
    public static Optional<BigDecimal> parse(String text) {
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1).startsWith("+") ? m.group(1).substring(1) : m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return Optional.of(number);
        }
        if (BINARY.containsKey(suffix)) {
            return Optional.of(number.multiply(BigDecimal.valueOf(2).pow(BINARY.get(suffix))));
        }
        if (DECIMAL.containsKey(suffix)) {
            return Optional.of(number.scaleByPowerOfTen(DECIMAL.get(suffix)));
        }
        return Optional.of(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))));
    }
}
