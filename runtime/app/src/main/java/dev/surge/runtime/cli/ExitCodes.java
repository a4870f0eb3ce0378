package dev.surge.runtime.cli;

/**
 * The exit codes of the {@code surge} commands, which scripts can rely on (the README's CLI section and every
 * command's {@code --help} list them). The {@code HELP_*} constants are those lines of the help.
 */
public final class ExitCodes {
    /** Done: the event was accepted (2xx), the status read, the logs printed, the release deployed. */
    public static final int OK = 0;
    /** The command failed otherwise: {@code helm} failed, a file could not be read, an unexpected error. */
    public static final int FAILED = 1;
    /** Bad arguments: an unknown option, a missing or malformed value (picocli's usage error code). */
    public static final int USAGE = 2;
    /** Surge answered but refused: a 4xx (an invalid event, an unknown broker), or the named function is not there. */
    public static final int REFUSED = 3;
    /** Surge or the cluster could not be reached, or answered 5xx (e.g. 503 while Kafka is away): retrying may help. */
    public static final int UNAVAILABLE = 4;
    /** {@code deploy}: {@code helm} or a cluster is not reachable from here; the exact helm command was printed. */
    public static final int NOT_DEPLOYED = 5;
    /** {@code deploy --wait}: helm deployed the release, but the Function was not Ready within the timeout. */
    public static final int NOT_READY = 6;

    public static final String HEADING = "%nExit codes:%n";
    public static final String HELP_OK = "0:done";
    public static final String HELP_FAILED = "1:failed otherwise (an I/O error, an unexpected error)";
    public static final String HELP_USAGE = "2:bad arguments";

    private ExitCodes() {
    }

    /** The exit code for an HTTP answer: 2xx done, 4xx refused, 5xx unavailable, anything else failed. */
    public static int ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        if (status >= 400 && status < 500) {
            return REFUSED;
        }
        if (status >= 500 && status < 600) {
            return UNAVAILABLE;
        }
        return FAILED;
    }
}
