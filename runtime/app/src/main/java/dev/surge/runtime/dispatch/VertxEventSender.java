package dev.surge.runtime.dispatch;

import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.ingress.EventParser;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** {@link EventSender} on Vert.x's HTTP client: pooled keep-alive connections, non-blocking. */
public final class VertxEventSender implements EventSender {
    private static final Logger LOG = Logger.getLogger(VertxEventSender.class);
    private static final int BODY_START = 1024;
    private final HttpClient client;

    private final EventParser replies;

    /**
     * @param replies reads the reply events of functions with the ingress's rules and limits: a reply goes to the
     *                broker as an accepted event does, so it must pass the same door
     */
    public VertxEventSender(Vertx vertx, EventParser replies) {
        this.replies = replies;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(256));
    }

    @Override
    public Future<DeliveryResult> send(URI target, CloudEvent event, Duration timeout) {
        BinaryModeHeaders message;
        try {
            message = BinaryModeHeaders.of(event);
        } catch (EventEncodingException e) {
            return Future.failedFuture(e);
        }
        message.headers.set("User-Agent", "surge-dispatcher");
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.toString())
                .setHeaders(message.headers).setTimeout(timeout.toMillis());
        return client.request(options)
                .compose(request -> request.send(message.body))
                .compose(response -> response.body().map(body -> result(response, body)));
    }

    private DeliveryResult result(HttpClientResponse response, Buffer body) {
        byte[] start = body == null ? new byte[0] : body.getBytes(0, Math.min(body.length(), BODY_START));
        CloudEvent reply = null;
        int status = response.statusCode();
        MultiMap headers = response.headers();
        String invalid = null;
        if (status >= 200 && status < 300 && carriesEvent(headers)) {
            try {
                List<CloudEvent> events = replies.parse(headers, body == null ? Buffer.buffer() : body);
                if (events.size() == 1) {
                    reply = events.get(0);
                } else {
                    invalid = "a reply is one event, not a batch of " + events.size();
                }
            } catch (HttpProblem e) {
                invalid = e.getMessage();
            }
        }
        return new DeliveryResult(status, reply, start, retryAfter(headers.get("Retry-After")), invalid);
    }

    private static boolean carriesEvent(MultiMap headers) {
        String contentType = headers.get("Content-Type");
        return headers.contains("ce-specversion")
                || (contentType != null && contentType.startsWith("application/cloudevents"));
    }

    /** {@code Retry-After} in seconds or as an HTTP date (RFC 9110, 10.2.3). */
    static Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
