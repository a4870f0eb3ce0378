package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Duration;
import io.vertx.core.Future;

/**
 * Delivers one event over HTTP in CloudEvents binary mode. The future completes with the answer, whatever
 * its status, or fails when no answer came (connection refused, timeout); called on a Vert.x context, it
 * completes on that context. An event that cannot be written as an HTTP request fails the future with
 * {@link EventEncodingException}. Implementations are thread-safe.
 */
public interface EventSender extends AutoCloseable {

    Future<DeliveryResult> send(URI target, CloudEvent event, Duration timeout);

    @Override
    void close();
}
