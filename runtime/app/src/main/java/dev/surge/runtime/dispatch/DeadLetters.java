package dev.surge.runtime.dispatch;

import dev.surge.core.delivery.DeadLetterSink;
import dev.surge.core.resource.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URI;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends events a trigger gave up on to its dead-letter sink. The event keeps every attribute and its data
 * and gains these extensions:
 * <ul>
 * <li>{@value #DESTINATION}: the URL the last attempt went to;</li>
 * <li>{@value #CODE}: the last HTTP status (absent when no answer came);</li>
 * <li>{@value #ATTEMPTS}: attempts made;</li>
 * <li>{@value #REASON}: why Surge gave up, e.g. {@code status 500 after 4 attempts};</li>
 * <li>{@value #TRIGGER}: {@code <namespace>/<trigger>};</li>
 * <li>{@value #DATA}: the first KiB of the last answer's body (binary, base64 in text encodings).</li>
 * </ul>
 * A sink that fails is tried again until it takes the event: the offset stays uncommitted meanwhile, so
 * nothing is lost. With no sink the event is logged and counted and the trigger moves on. A URI or function
 * sink gets the event through the same {@link EventSender} as deliveries (percent-encoded {@code ce-}
 * headers); one that cannot be encoded even so is logged, counted with sink {@code failed} and dropped.
 */
final class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    static final String DESTINATION = "surgeerrordest";
    static final String CODE = "surgeerrorcode";
    static final String ATTEMPTS = "surgeerrorattempts";
    static final String REASON = "surgeerrorreason";
    static final String TRIGGER = "surgeerrortrigger";
    static final String DATA = "surgeerrordata";


    private final Trigger trigger;
    private final DeadLetterSink sink;
    private final EventSender sender;
    private final FunctionEndpoints endpoints;
    private final Function<ProducerRecord<String, byte[]>, Future<Void>> kafka;
    private final BiConsumer<Long, Runnable> later;
    private final DispatchMeters meters;

    DeadLetters(Trigger trigger, EventSender sender, FunctionEndpoints endpoints,
            Function<ProducerRecord<String, byte[]>, Future<Void>> kafka, BiConsumer<Long, Runnable> later,
            DispatchMeters meters) {
        this.trigger = trigger;
        this.sink = trigger.delivery().deadLetterSink();
        this.sender = sender;
        this.endpoints = endpoints;
        this.kafka = kafka;
        this.later = later;
        this.meters = meters;
    }

    /** Completes once the sink took the event (or, with no sink, at once). */
    Future<Void> send(CloudEvent event, URI target, DeliveryResult lastAnswer, int attempts, String reason) {
        CloudEvent dead = annotate(event, target, lastAnswer, attempts, reason);
        String where = sink == null ? "no dead-letter sink, dropped" : "sent to dead-letter " + sink.kind();
        LOG.warnf("trigger %s/%s: event %s (type %s) %s; %s", trigger.namespace(), trigger.name(), event.getId(),
                event.getType(), reason, where);
        meters.deadLettered(sink == null ? "none" : sink.kind()).increment();
        if (sink == null) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        deliver(dead, done);
        return done.future();
    }

    CloudEvent annotate(CloudEvent event, URI target, DeliveryResult lastAnswer, int attempts, String reason) {
        CloudEventBuilder b = CloudEventBuilder.from(event)
                .withExtension(ATTEMPTS, attempts)
                .withExtension(REASON, reason)
                .withExtension(TRIGGER, trigger.namespace() + "/" + trigger.name());
        if (target != null) {
            b.withExtension(DESTINATION, target);
        }
        if (lastAnswer != null) {
            b.withExtension(CODE, lastAnswer.status());
            if (lastAnswer.bodyStart().length > 0) {
                b.withExtension(DATA, lastAnswer.bodyStart());
            }
        }
        return b.build();
    }

    private Future<Void> post(URI uri, CloudEvent dead) {
        Future<DeliveryResult> answer;
        try {
            answer = sender.send(uri, dead, trigger.delivery().timeout());
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        return answer.compose(r -> {
            if (r.isSuccess()) {
                return Future.succeededFuture();
            }
            String message = "dead-letter sink answered " + r.status();
            return Future.failedFuture(refusesForGood(r.status()) ? new SinkRefused(message) : new RuntimeException(message));
        });
    }

    /** A sink's answer that the delivery policy would not retry either: 4xx other than 404, 408, 409, 429. */
    static boolean refusesForGood(int status) {
        return status >= 400 && status < 500 && status != 404 && status != 408 && status != 409 && status != 429;
    }

    /** The sink refused the dead letter for good. */
    static final class SinkRefused extends RuntimeException {
        SinkRefused(String message) {
            super(message, null, false, false);
        }
    }

    private void deliver(CloudEvent dead, Promise<Void> done) {
        Future<Void> attempt;
        if (sink instanceof DeadLetterSink.Topic t) {
            Object key = dead.getExtension("partitionkey");
            attempt = kafka.apply(KafkaMessageFactory.<String>createWriter(t.name(), key == null ? null : key.toString())
                    .writeBinary(dead));
        } else if (sink instanceof DeadLetterSink.Uri u) {
            attempt = post(u.uri(), dead);
        } else {
            String function = ((DeadLetterSink.Function) sink).name();
            Optional<FunctionEndpoints.Lease> lease = endpoints.acquire(trigger.namespace(), function);
            if (lease.isEmpty()) {
                endpoints.activate(trigger.namespace(), function);
                attempt = Future.failedFuture("dead-letter function " + function + " has no free ready replica");
            } else {
                attempt = post(lease.get().uri(), dead).onComplete(x -> lease.get().release());
            }
        }
        attempt.onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete();
            } else if (ar.cause() instanceof EventEncodingException || ar.cause() instanceof SinkRefused
                    || (sink instanceof DeadLetterSink.Topic
                            && !(ar.cause() instanceof org.apache.kafka.common.errors.RetriableException))) {
                // Cannot pass with time (the delivery's own encoder failed, the sink answered a 4xx that is never
                // retried, Kafka refused the record for good): trying again would hold the partition forever.
                LOG.errorf("trigger %s/%s: event %s cannot be sent to dead-letter %s either (%s); dropping it",
                        trigger.namespace(), trigger.name(), dead.getId(), sink.kind(), ar.cause().getMessage());
                meters.deadLettered("failed").increment();
                done.complete();
            } else {
                LOG.warnf("trigger %s/%s: dead-letter %s did not take event %s (%s); trying again",
                        trigger.namespace(), trigger.name(), sink.kind(), dead.getId(), ar.cause().getMessage());
                later.accept(Attempts.HANDOFF_RETRY_MS, () -> deliver(dead, done));
            }
        });
    }
}
