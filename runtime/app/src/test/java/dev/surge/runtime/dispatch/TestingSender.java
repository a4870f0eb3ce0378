package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An {@link EventSender} that encodes like {@link VertxEventSender} (the same {@link BinaryModeHeaders}, an
 * unencodable event fails the future) and records every request instead of sending it. What it answers is
 * scripted per event; a script may also throw, as a broken sender would.
 */
final class TestingSender implements EventSender {
    record Sent(URI target, CloudEvent event, MultiMap headers) {
    }

    static final DeliveryResult OK = new DeliveryResult(200, null, new byte[0], Optional.empty());

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    volatile Function<CloudEvent, Future<DeliveryResult>> script = e -> Future.succeededFuture(OK);

    @Override
    public Future<DeliveryResult> send(URI target, CloudEvent event, Duration timeout) {
        BinaryModeHeaders message;
        try {
            message = BinaryModeHeaders.of(event);
        } catch (EventEncodingException e) {
            return Future.failedFuture(e);
        }
        sent.add(new Sent(target, event, message.headers));
        return script.apply(event); // may throw: that is what some tests want
    }

    List<Sent> sentTo(String target) {
        return sent.stream().filter(s -> s.target().toString().equals(target)).toList();
    }

    long count(String target, String id) {
        return sentTo(target).stream().filter(s -> s.event().getId().equals(id)).count();
    }

    @Override
    public void close() {
    }
}
