package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
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
    public CompletionStage<DeliveryResult> send(URI target, CloudEvent event, Duration timeout) {
        var request = client.postAbs(target.toString()).timeout(timeout.toMillis());
        return VertxMessageFactory.createWriter(request).writeBinary(event)
                .map(VertxEventSender::result)
                .toCompletionStage();
    }

    private static DeliveryResult result(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        String start = body == null ? "" : new String(body.getBytes(0, Math.min(body.length(), BODY_START)),
                StandardCharsets.UTF_8);
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
        return new DeliveryResult(status, reply, start);
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
