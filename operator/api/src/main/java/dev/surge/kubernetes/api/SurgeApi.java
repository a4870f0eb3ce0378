package dev.surge.kubernetes.api;

/** Names shared by the three kinds of {@code surge.dev/v1alpha1}. */
public final class SurgeApi {
    public static final String GROUP = "surge.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    /** {@code kubectl get surge} lists the Brokers, Functions and Triggers of a namespace. */
    public static final String CATEGORY = "surge";
    /**
     * Annotation on a Function (an RFC 3339 time) that a dispatcher holding an event for it at zero replicas writes
     * with a JSON merge patch; the operator starts a replica as soon as it sees it change.
     */
    public static final String ACTIVATION_REQUESTED_AT = GROUP + "/activation-requested-at";

    /** Status of the Ready condition, for a printer column. */
    static final String READY_JSON_PATH = ".status.conditions[?(@.type==\"Ready\")].status";

    /** A string with at least one character that is not white space, as the core's readers require. */
    static final String NOT_BLANK = "\\S";

    /**
     * An absolute http or https URL, as the core requires of a target or a dead-letter URI (scheme in lower
     * case, a host, no white space).
     */
    static final String HTTP_URL = "^https?://[^\\s/?#]+([/?#]\\S*)?$";

    private SurgeApi() {
    }
}
