package dev.surge.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP API of a running Surge (local mode's process, or an ingress or dispatcher), through the JDK's client.
 * Not reachable, no answer in time: a {@link CliFailure} with {@link ExitCodes#UNAVAILABLE} that names the address
 * and how to name another one.
 */
final class RuntimeEndpoint {
    static final String DEFAULT_URL = "http://localhost:8080";
    static final String URL_HELP = "Address of Surge (local mode's port, or an ingress); also SURGE_URL"
            + " (default: " + DEFAULT_URL + ").";
    static final String TOKEN_HELP = "A bearer token for a Surge whose broker or admin endpoints need one (sent as"
            + " 'Authorization: Bearer'); also SURGE_TOKEN.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final String token;

    private RuntimeEndpoint(URI base, Duration timeout, String token) {
        this.base = base;
        this.timeout = timeout;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The endpoint at {@code url} (an absolute http or https URL, e.g. {@code http://localhost:8080}).
     *
     * @throws IllegalArgumentException with why, when {@code url} is not such a URL
     */
    static RuntimeEndpoint at(String url, Duration timeout) {
        return at(url, timeout, null);
    }

    /** As {@link #at(String, Duration)}, sending {@code token} (when not null) with every request. */
    static RuntimeEndpoint at(String url, Duration timeout, String token) {
        return new RuntimeEndpoint(base(url), timeout, token);
    }

    /** {@code url} checked and without a trailing slash; see {@link #at}. */
    static URI base(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL with a host, e.g. "
                    + DEFAULT_URL);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + url + "' has a query or fragment; give only the address");
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    URI base() {
        return base;
    }

    /** The absolute URI of {@code path} (which starts with a slash) at this endpoint. */
    URI uri(String path) {
        return URI.create(base + path);
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Accept", "application/json").GET()
                .build());
    }

    Answer post(String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    /** {@code GET path} as JSON; an answer other than 2xx is a failure with its status's exit code and detail. */
    JsonNode json(String path) {
        return json(path, get(path));
    }

    /** The answer {@code a} to {@code GET path} as JSON, as {@link #json(String)} reads it. */
    JsonNode json(String path, Answer a) {
        if (a.status() / 100 != 2) {
            throw new CliFailure(ExitCodes.ofStatus(a.status()), "GET " + uri(path) + " answered " + a.statusLine()
                    + a.detail().map(d -> ": " + d).orElse(""));
        }
        try {
            return JSON.readTree(a.body());
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILED, "GET " + uri(path) + " did not answer JSON: " + e.getMessage());
        }
    }

    private Answer send(HttpRequest unauthenticated) {
        HttpRequest request = token == null ? unauthenticated
                : HttpRequest.newBuilder(unauthenticated, (name, value) -> true)
                        .header("Authorization", "Bearer " + token).build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
        } catch (ConnectException e) {
            throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot reach Surge at " + base + " (connection refused);"
                    + " is 'surge up' running? Name another address with --url or SURGE_URL", e);
        } catch (HttpTimeoutException e) {
            throw new CliFailure(ExitCodes.UNAVAILABLE, "no answer from " + request.uri() + " within "
                    + request.timeout().orElse(timeout).toMillis() + " ms (--timeout)", e);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot reach Surge at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCodes.FAILED, "interrupted");
        }
    }

    /** An HTTP answer: status, media type, body. */
    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** {@code 202 Accepted}. */
        String statusLine() {
            String reason = REASONS.get(status);
            return reason == null ? String.valueOf(status) : status + " " + reason;
        }

        /** The {@code detail} of an {@code application/problem+json} body, when it is one. */
        java.util.Optional<String> detail() {
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
                return java.util.Optional.empty();
            }
            try {
                JsonNode d = JSON.readTree(body).get("detail");
                return d == null || d.isNull() ? java.util.Optional.empty() : java.util.Optional.of(d.asText());
            } catch (IOException e) {
                return java.util.Optional.empty();
            }
        }
    }

    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"), Map.entry(201, "Created"),
            Map.entry(202, "Accepted"), Map.entry(204, "No Content"), Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(429, "Too Many Requests"), Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));
}
