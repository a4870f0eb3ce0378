package dev.surge.runtime.auth;

import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.ProblemResponse;
import io.vertx.core.http.HttpServerResponse;

/** What a policy decided about one request. */
public sealed interface Access {
    Access ALLOWED = new Allowed();

    /** The request may go on. */
    record Allowed() implements Access {
    }

    /**
     * The request is refused: 401 (no or an invalid token; {@code wwwAuthenticate} says so, RFC 6750), 403 (the
     * policy does not allow this caller) or 503 (the keys to check its token cannot be had now).
     */
    record Denied(HttpProblem problem, String wwwAuthenticate, Integer retryAfterSeconds) implements Access {
        public int status() {
            return problem.status();
        }

        /** Writes the headers; the caller writes the problem (so that it counts it as it counts others). */
        public void headers(HttpServerResponse response) {
            if (wwwAuthenticate != null) {
                response.putHeader("WWW-Authenticate", wwwAuthenticate);
            }
            if (retryAfterSeconds != null) {
                response.putHeader("Retry-After", String.valueOf(retryAfterSeconds));
            }
        }

        public void send(HttpServerResponse response, String instance) {
            headers(response);
            ProblemResponse.send(response, problem, instance);
        }
    }
}
