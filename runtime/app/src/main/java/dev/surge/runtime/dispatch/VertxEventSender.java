package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.time.Duration;
import org.jboss.logging.Logger;

/** {@link EventSender} on the Vert.x web client: keep-alive connections, non-blocking. */
public final class VertxEventSender implements EventSender {
    private static final Logger LOG = Logger.getLogger(VertxEventSender.class);
    private static final int BODY_START = 1024;
    private final WebClient client;

    public VertxEventSender(Vertx vertx) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(256)
                .setFollowRedirects(false)
                .setUserAgent("surge-dispatcher"));
    }

    @Override
    public Future<DeliveryResult> send(URI target, CloudEvent event, Duration timeout) {
        var request = client.postAbs(target.toString()).timeout(timeout.toMillis());
        return VertxMessageFactory.createWriter(request).writeBinary(event).map(VertxEventSender::result);
    }

    private static DeliveryResult result(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        byte[] start = body == null ? new byte[0] : body.getBytes(0, Math.min(body.length(), BODY_START));
        CloudEvent reply = null;
        int status = response.statusCode();
        if (status >= 200 && status < 300 && carriesEvent(response)) {
            try {
                MessageReader reader = VertxMessageFactory.createReader(response);
                reply = reader.toEvent();
            } catch (CloudEventRWException | IllegalStateException e) {
                LOG.warnf("ignoring the reply of %s: not a valid CloudEvent (%s)", response.getHeader("ce-source"),
                        e.getMessage());
            }
        }
        return new DeliveryResult(status, reply, start, retryAfter(response.getHeader("Retry-After")));
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

    private static boolean carriesEvent(HttpResponse<Buffer> response) {
        String contentType = response.getHeader("Content-Type");
        return response.getHeader("ce-specversion") != null
                || (contentType != null && contentType.startsWith("application/cloudevents"));
    }

    @Override
    public void close() {
        client.close();
    }
}
