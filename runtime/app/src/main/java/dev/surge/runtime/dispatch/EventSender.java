package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Delivers one event over HTTP in CloudEvents binary mode. The stage completes with the answer, whatever
 * its status, or fails when no answer came (connection refused, timeout). Implementations are
 * thread-safe.
 */
public interface EventSender extends AutoCloseable {

    CompletionStage<DeliveryResult> send(URI target, CloudEvent event, Duration timeout);

    @Override
    void close();
}
