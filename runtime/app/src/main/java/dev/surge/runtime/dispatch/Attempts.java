package dev.surge.runtime.dispatch;

import dev.surge.core.KafkaNames;
import dev.surge.core.delivery.DeliveryPolicy;
import dev.surge.core.delivery.DeliveryPolicy.Decision;
import dev.surge.core.delivery.DeliveryPolicy.Outcome;
import dev.surge.core.resource.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * The attempts of one event: sends it, reads the answer, retries by the trigger's {@link DeliveryPolicy}
 * (a retry is a timer, not a blocked thread), dead-letters it when the policy gives up, publishes a reply.
 * Runs on the engine's context.
 *
 * <p>Whatever goes wrong with one event is a failed attempt of that event and nothing more: the sender
 * throwing, the event not being encodable as HTTP (dead-lettered at once), or a bug in handling its answer.
 * Every event taken ends in {@link Engine#finished} exactly once, unless its partition was taken away or
 * the engine stopped meanwhile.
 */
final class Attempts {
    private static final Logger LOG = Logger.getLogger(Attempts.class);
    /** While a function has no ready replica, look again this often; such waits are not attempts. */
    static final long TARGET_WAIT_MS = 25;
    /** Pause between tries to hand a reply or a dead letter to Kafka or a sink that failed. */
    static final long HANDOFF_RETRY_MS = 1000;

    /** What the attempts need of the engine that runs them. */
    interface Engine {
        /**
         * Whether the event is still this engine's to handle: it runs, holds the event's partition, and the
         * event is not finished yet.
         */
        boolean owns(Delivery d);

        /** The event is delivered or dead-lettered; a second call for it changes nothing. */
        void finished(Delivery d);

        /** Runs {@code action} on the engine's context after {@code ms}, unless the engine stopped by then. */
        void later(long ms, Runnable action);
    }

    private final Trigger trigger;
    private final String topic;
    private final DeliveryPolicy policy;
    private final EventSender sender;
    private final FunctionEndpoints endpoints;
    private final DeadLetters deadLetters;
    private final Function<ProducerRecord<String, byte[]>, Future<Void>> kafka;
    private final DispatchMeters meters;
    private final Engine engine;

    Attempts(Trigger trigger, EventSender sender, FunctionEndpoints endpoints, DeadLetters deadLetters,
            Function<ProducerRecord<String, byte[]>, Future<Void>> kafka, DispatchMeters meters, Engine engine) {
        this.trigger = trigger;
        this.topic = KafkaNames.brokerTopic(trigger.namespace(), trigger.broker());
        this.policy = new DeliveryPolicy(trigger.delivery());
        this.sender = sender;
        this.endpoints = endpoints;
        this.deadLetters = deadLetters;
        this.kafka = kafka;
        this.meters = meters;
        this.engine = engine;
    }

    /** Starts the next attempt of {@code d}. */
    void start(Delivery d) {
        guarded(d, () -> attempt(d));
    }

    boolean targetReady() {
        return trigger.uri() != null || endpoints.hasReady(trigger.namespace(), trigger.function());
    }

    /** Asks for a replica of the trigger's function now, rather than at the scaler's next poll. */
    void activateTarget() {
        if (trigger.function() != null) {
            endpoints.activate(trigger.namespace(), trigger.function());
        }
    }

    private void attempt(Delivery d) {
        if (!engine.owns(d)) {
            return;
        }
        // Counted first, so that a failure anywhere below is a counted attempt and a failing event cannot loop.
        d.attempts++;
        FunctionEndpoints.Lease lease = null;
        if (trigger.uri() != null) {
            d.target = trigger.uri();
        } else {
            Optional<FunctionEndpoints.Lease> slot = endpoints.acquire(trigger.namespace(), trigger.function());
            if (slot.isEmpty()) {
                // No replica ready, or all at their concurrency: wait for one; this is not an attempt.
                d.attempts--;
                if (!endpoints.hasReady(trigger.namespace(), trigger.function())) {
                    endpoints.activate(trigger.namespace(), trigger.function());
                }
                engine.later(TARGET_WAIT_MS, () -> start(d));
                return;
            }
            lease = slot.get();
            d.target = lease.uri();
        }
        long start = System.nanoTime();
        FunctionEndpoints.Lease held = lease;
        Future<DeliveryResult> answer;
        try {
            answer = sender.send(d.target, d.event, trigger.delivery().timeout());
        } catch (RuntimeException | StackOverflowError e) {
            // StackOverflowError: the one Error that one event can cause (nesting deep enough for a recursive
            // writer); it is that event's failure. Other Errors (out of memory …) are the process's.
            answer = Future.failedFuture(e instanceof EventEncodingException ? e
                    : new SenderFailure("the sender threw " + e, e));
        }
        answer.onComplete(ar -> {
            if (held != null) {
                held.release();
            }
            meters.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (engine.owns(d)) {
                guarded(d, () -> answered(d, ar));
            }
        });
    }

    private void answered(Delivery d, AsyncResult<DeliveryResult> ar) {
        Outcome outcome;
        if (ar.succeeded()) {
            DeliveryResult result = ar.result();
            d.lastAnswer = result;
            if (result.isSuccess() && result.invalidReply() != null) {
                outcome = new Outcome.InvalidReply(result.invalidReply());
            } else if (result.isSuccess()) {
                meters.delivered.increment();
                if (result.reply() != null) {
                    publishReply(d, result.reply());
                } else {
                    engine.finished(d);
                }
                return;
            } else {
                outcome = new Outcome.Answered(result.status(), result.retryAfter());
            }
        } else {
            d.lastAnswer = null;
            Throwable cause = ar.cause();
            if (cause instanceof EventEncodingException) {
                outcome = new Outcome.Unencodable(cause.getMessage());
            } else if (cause instanceof SenderFailure) {
                outcome = new Outcome.Failed(cause.getMessage());
            } else if (isTimeout(cause)) {
                outcome = new Outcome.TimedOut();
            } else {
                outcome = new Outcome.Unreachable(String.valueOf(cause.getMessage()));
                if (!targetReady() && neverConnected(cause)) {
                    // The function went away (stopped or crashed) before this event reached it: wait for a
                    // replica; this was no real attempt. A connection that broke while the function had the
                    // event counts: an event that crashes its function must reach its dead-letter sink.
                    d.attempts--;
                    engine.later(TARGET_WAIT_MS, () -> start(d));
                    return;
                }
            }
        }
        decide(d, outcome);
    }

    private void decide(Delivery d, Outcome outcome) {
        Decision decision = policy.decide(outcome, d.attempts);
        if (decision instanceof Decision.Retry retry) {
            meters.retried.increment();
            LOG.debugf("trigger %s/%s: event %s %s, attempt %d; retrying in %s", trigger.namespace(), trigger.name(),
                    d.event.getId(), outcome, d.attempts, retry.after());
            engine.later(Math.max(1, retry.after().toMillis()), () -> start(d));
        } else if (decision instanceof Decision.DeadLetter dead) {
            deadLetter(d, dead.reason());
        } else {
            engine.finished(d);
        }
    }

    private void deadLetter(Delivery d, String reason) {
        Future<Void> sent;
        try {
            sent = deadLetters.send(d.event, d.target, d.lastAnswer, d.attempts, reason);
        } catch (RuntimeException e) {
            // Nothing is left to try for this event; holding it would hold its partition for good.
            LOG.errorf(e, "trigger %s/%s: event %s could not be dead-lettered (%s); dropping it", trigger.namespace(),
                    trigger.name(), d.event.getId(), reason);
            meters.deadLettered("failed").increment();
            sent = Future.succeededFuture();
        }
        sent.onComplete(x -> {
            if (engine.owns(d)) {
                engine.finished(d);
            }
        });
    }

    /**
     * Runs one step of an event's handling; an exception there is a failed attempt of that event, never an
     * error of the trigger.
     */
    private void guarded(Delivery d, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | StackOverflowError e) {
            LOG.errorf(e, "trigger %s/%s: handling event %s failed (attempt %d)", trigger.namespace(), trigger.name(),
                    d.event.getId(), d.attempts);
            try {
                d.attempts = Math.max(d.attempts, 1);
                decide(d, new Outcome.Failed("internal error: " + e));
            } catch (RuntimeException again) {
                LOG.errorf(again, "trigger %s/%s: event %s cannot be handled; dropping it", trigger.namespace(),
                        trigger.name(), d.event.getId());
                meters.deadLettered("failed").increment();
                engine.finished(d);
            }
        }
    }

    /**
     * Publishes a function's reply to the broker; the event counts as finished only once Kafka acknowledged
     * it. A reply without a partition key inherits the one of the event it answers, so one key's chain of
     * events stays on one partition, in causal order.
     */
    private void publishReply(Delivery d, CloudEvent reply) {
        Object key = reply.getExtension("partitionkey");
        CloudEvent keyed = reply;
        if (key == null && d.event.getExtension("partitionkey") != null) {
            key = d.event.getExtension("partitionkey");
            keyed = CloudEventBuilder.from(reply).withExtension("partitionkey", key.toString()).build();
        }
        ProducerRecord<String, byte[]> record = KafkaMessageFactory
                .<String>createWriter(topic, key == null ? null : key.toString()).writeBinary(keyed);
        publish(d, record);
    }

    private void publish(Delivery d, ProducerRecord<String, byte[]> record) {
        kafka.apply(record).onComplete(ar -> {
            if (!engine.owns(d)) {
                return;
            }
            if (ar.succeeded()) {
                meters.replies.increment();
                engine.finished(d);
            } else if (ar.cause() instanceof org.apache.kafka.common.errors.RetriableException) {
                LOG.warnf("trigger %s/%s: publishing the reply to event %s failed (%s); trying again",
                        trigger.namespace(), trigger.name(), d.event.getId(), ar.cause().getMessage());
                engine.later(HANDOFF_RETRY_MS, () -> publish(d, record));
            } else {
                // Kafka refuses this reply for good (too large, not authorised …): trying again would hold the
                // partition forever. The event is dead-lettered, saying why.
                decide(d, new Outcome.Unencodable("its reply was refused by Kafka: " + ar.cause().getMessage()));
            }
        });
    }

    /** Whether the connection to the target was never made (refused): the event did not reach it. */
    static boolean neverConnected(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.util.concurrent.TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    /** The sender threw instead of failing its future. */
    private static final class SenderFailure extends RuntimeException {
        SenderFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
