package dev.surge.kubernetes.api;

/**
 * Regular expressions, for the CRDs' {@code pattern}, of the durations the core accepts: what
 * {@link java.time.Duration#parse} reads ({@code PnDTnHnMn.nS}, letters in any case, a fraction of up to 9
 * digits after {@code .} or {@code ,}), and that is positive.
 *
 * <p>Written without look-ahead, which Kubernetes' regular expressions (RE2) lack: an alternative per
 * component that may be the first non-zero one. Signs: a {@code +} anywhere is accepted as the core accepts it;
 * a {@code -} is refused even where the core would accept it (only in double negations such as
 * {@code -PT-30S}, which nobody means to write). A lone lower-case {@code t} after the days ({@code P1Dt}) is
 * accepted because Duration.parse accepts it (it refuses only an upper-case {@code T} without a time).
 */
public final class IsoDuration {
    private static final String SIGN = "[+]?";
    private static final String ANY = "[0-9]+";
    private static final String NONZERO = "[0-9]*[1-9][0-9]*";
    private static final String ZERO = "0+";
    private static final String FRACTION = "(?:[.,][0-9]{0,9})?";
    /** Up to 9 digits of which one is not 0: the first non-zero digit at each place. */
    private static final String NONZERO_FRACTION = "[.,](?:[1-9][0-9]{0,8}|0[1-9][0-9]{0,7}|00[1-9][0-9]{0,6}"
            + "|000[1-9][0-9]{0,5}|0000[1-9][0-9]{0,4}|00000[1-9][0-9]{0,3}|000000[1-9][0-9]{0,2}"
            + "|0000000[1-9][0-9]?|00000000[1-9])";

    private static final String P = SIGN + "[Pp]";
    private static final String T = "[Tt]";
    private static final String D_POSITIVE = SIGN + NONZERO + "[Dd]";
    private static final String D_ZERO = "(?:" + SIGN + ZERO + "[Dd])?";
    private static final String H = SIGN + ANY + "[Hh]";
    private static final String H_POSITIVE = SIGN + NONZERO + "[Hh]";
    private static final String H_ZERO = "(?:" + SIGN + ZERO + "[Hh])?";
    private static final String M = SIGN + ANY + "[Mm]";
    private static final String M_POSITIVE = SIGN + NONZERO + "[Mm]";
    private static final String M_ZERO = "(?:" + SIGN + ZERO + "[Mm])?";
    private static final String S = SIGN + ANY + FRACTION + "[Ss]";
    private static final String S_POSITIVE = SIGN + "(?:" + NONZERO + FRACTION + "|" + ZERO + NONZERO_FRACTION + ")[Ss]";
    /** A time part with at least one component, as Duration.parse requires after a T. */
    private static final String TIME_ANY = T + "(?:" + H + "(?:" + M + ")?(?:" + S + ")?|" + M + "(?:" + S + ")?|" + S
            + ")";

    /** A positive duration, e.g. PT30S, PT0.2S, P7D, PT1H30M. */
    public static final String POSITIVE = "^" + P + "(?:"
            + D_POSITIVE + "(?:" + TIME_ANY + "|t)?"
            + "|" + D_ZERO + T + H_POSITIVE + "(?:" + M + ")?(?:" + S + ")?"
            + "|" + D_ZERO + T + H_ZERO + M_POSITIVE + "(?:" + S + ")?"
            + "|" + D_ZERO + T + H_ZERO + M_ZERO + S_POSITIVE
            + ")$";

    /** A positive duration or exactly {@code PT0S}, which turns a stabilization window off. */
    public static final String POSITIVE_OR_ZERO = "^PT0S$|" + POSITIVE;

    private IsoDuration() {
    }
}
