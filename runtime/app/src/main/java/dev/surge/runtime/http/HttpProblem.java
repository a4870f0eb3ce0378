package dev.surge.runtime.http;

/**
 * A request Surge refuses (ingress, activator, status endpoints), with what the client needs to fix it. Rendered as
 * {@code application/problem+json} (RFC 9457) by {@link ProblemResponse}.
 *
 * @see ProblemResponse
 */
public class HttpProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final String attribute;
    private final Integer index;

    public HttpProblem(int status, String title, String detail) {
        this(status, title, detail, null, null);
    }

    /**
     * @param attribute the CloudEvents attribute at fault, or null
     * @param index     position of the event in a batch, or null
     */
    public HttpProblem(int status, String title, String detail, String attribute, Integer index) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.attribute = attribute;
        this.index = index;
    }

    public static HttpProblem invalid(String attribute, String detail) {
        return new HttpProblem(400, "Invalid CloudEvent", detail, attribute, null);
    }

    public HttpProblem inBatch(int i) {
        return new HttpProblem(status, title, "event " + i + " of the batch: " + getMessage(), attribute, i);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String attribute() {
        return attribute;
    }

    public Integer index() {
        return index;
    }
}
