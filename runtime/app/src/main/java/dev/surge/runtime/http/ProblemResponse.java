package dev.surge.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;

/** Writes an error as {@code application/problem+json} (RFC 9457). */
public final class ProblemResponse {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponse() {
    }

    public static void send(HttpServerResponse response, HttpProblem e, String instance) {
        if (response.ended()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        if (e.attribute() != null) {
            body.put("attribute", e.attribute());
        }
        if (e.index() != null) {
            body.put("index", e.index());
        }
        response.setStatusCode(e.status())
                .putHeader("Content-Type", "application/problem+json")
                .end(body.toString());
    }
}
