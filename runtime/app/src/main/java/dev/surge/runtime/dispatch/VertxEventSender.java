package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
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
import java.util.Optional;
import org.jboss.logging.Logger;

/** {@link EventSender} on Vert.x's HTTP client: pooled keep-alive connections, non-blocking. */
public final class VertxEventSender implements EventSender {
    private static final Logger LOG = Logger.getLogger(VertxEventSender.class);
    private static final int BODY_START = 1024;
    private final HttpClient client;

    public VertxEventSender(Vertx vertx) {
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

    private static DeliveryResult result(HttpClientResponse response, Buffer body) {
        byte[] start = body == null ? new byte[0] : body.getBytes(0, Math.min(body.length(), BODY_START));
        CloudEvent reply = null;
        int status = response.statusCode();
        MultiMap headers = response.headers();
        if (status >= 200 && status < 300 && carriesEvent(headers)) {
            try {
                reply = VertxMessageFactory.createReader(headers, body).toEvent();
            } catch (CloudEventRWException | IllegalStateException e) {
                LOG.warnf("ignoring a reply from %s: not a valid CloudEvent (%s)", headers.get("ce-source"),
                        e.getMessage());
            }
        }
        return new DeliveryResult(status, reply, start, retryAfter(headers.get("Retry-After")));
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
