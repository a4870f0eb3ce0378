package dev.surge.runtime.ingress;

import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Broker;
import dev.surge.runtime.metrics.Metrics;
import dev.surge.runtime.auth.Access;
import dev.surge.runtime.auth.AccessControl;
import dev.surge.runtime.config.Role;
import dev.surge.runtime.config.SurgeConfig;
import dev.surge.runtime.http.BoundedBody;
import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.ProblemResponse;
import dev.surge.runtime.kafka.BatchProducers.BatchNotWritten;
import dev.surge.runtime.kafka.KafkaCluster;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

/**
 * {@code POST /<namespace>/<broker>}: accepts CloudEvents and answers 202 only once Kafka acknowledged
 * every event of the request. Events are written with the CloudEvents Kafka binding in binary mode
 * ({@code ce_} headers); the {@code partitionkey} extension becomes the record key. A single event goes through
 * the shared idempotent producer; a batched request is one Kafka transaction, visible to triggers
 * ({@code read_committed}) as a whole or not at all. Before its body is read, a request must pass its broker's
 * policy of who may post ({@code spec.ingress.auth}, {@link AccessControl}): 401, 403 otherwise.
 */
@ApplicationScoped
public class IngressRoutes {
    private static final Logger LOG = Logger.getLogger(IngressRoutes.class);
    /** Two path segments; {@code /q/...} stays Quarkus' own (health, metrics), {@code /functions/...} the activator's. */
    static final String PATH = "^/(?!q/|functions/)([^/]+)/([^/]+)/?$";

    @Inject
    BrokerView brokers;
    @Inject
    SurgeConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    AccessControl access;

    private EventParser parser;
    private final ConcurrentHashMap<Broker, BrokerMeters> meters = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        parser = new EventParser(EventLimits.of(config.ingress()));
    }

    void routes(@Observes Router router) {
        if (!config.roles().contains(Role.INGRESS)) {
            return; // a dispatcher or scaler process accepts no events
        }
        router.routeWithRegex(PATH)
                .handler(this::checkTarget)
                .failureHandler(this::failure);
    }

    private void checkTarget(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.response().putHeader("Allow", "POST");
            ProblemResponse.send(ctx.response(), new HttpProblem(405, "Method Not Allowed",
                    ctx.request().method() + " is not supported here; POST CloudEvents to this broker"), ctx.normalizedPath());
            return;
        }
        Broker broker = broker(ctx);
        if (broker == null) {
            ProblemResponse.send(ctx.response(), new HttpProblem(404, "Unknown broker", "no broker '"
                    + ctx.pathParam("param1") + "' in namespace '" + ctx.pathParam("param0") + "'"), ctx.normalizedPath());
            return;
        }
        // Before the body is read: a request its policy refuses is never parsed, and never reaches Kafka.
        CompletableFuture<Access> decision = access.check(broker, ctx.request());
        if (decision.isDone()) {
            admit(ctx, broker, decision.join());
        } else {
            Context context = Vertx.currentContext();
            decision.whenComplete((a, error) -> context.runOnContext(v -> admit(ctx, broker,
                    error == null ? a : failedCheck(error))));
        }
    }

    private void admit(RoutingContext ctx, Broker broker, Access access) {
        if (access instanceof Access.Denied denied) {
            BrokerMeters m = meters.computeIfAbsent(broker, this::metersOf);
            BoundedBody.refuse(ctx, config.ingress().maxRequestBytes(), () -> {
                denied.headers(ctx.response());
                reject(ctx, m, denied.problem());
            });
            return;
        }
        readBody(ctx);
    }

    private static Access failedCheck(Throwable error) {
        LOG.errorf(error, "checking who may post failed");
        return new Access.Denied(new HttpProblem(500, "Internal Server Error", "the request could not be checked;"
                + " nothing of it was accepted"), null, null);
    }

    /** Reads the body up to {@code surge.ingress.max-request-bytes}; see {@link BoundedBody}. */
    private void readBody(RoutingContext ctx) {
        BoundedBody.read(ctx, config.ingress().maxRequestBytes(), () -> tooLarge(ctx), body -> {
            try {
                accept(ctx, body);
            } catch (RuntimeException e) {
                // A bug, not the client's fault. This runs in the body's end handler, out of the router's reach:
                // without an answer here the client would wait until it times out.
                LOG.errorf(e, "accepting a request to %s failed", ctx.normalizedPath());
                if (!ctx.response().headWritten()) {
                    ProblemResponse.send(ctx.response(), new HttpProblem(500, "Internal Server Error",
                            "the request could not be handled; nothing of it was acknowledged"), ctx.normalizedPath());
                }
            }
        });
    }

    private void tooLarge(RoutingContext ctx) {
        Broker broker = broker(ctx);
        reject(ctx, broker == null ? null : meters.computeIfAbsent(broker, this::metersOf),
                new HttpProblem(413, "Payload Too Large", "the request is larger than "
                        + config.ingress().maxRequestBytes() + " bytes (surge.ingress.max-request-bytes)"));
    }

    private Broker broker(RoutingContext ctx) {
        return brokers.broker(ctx.pathParam("param0"), ctx.pathParam("param1")).orElse(null);
    }

    private void accept(RoutingContext ctx, Buffer body) {
        long start = System.nanoTime();
        Broker broker = broker(ctx);
        if (broker == null) {
            // Removed while the body streamed in.
            ProblemResponse.send(ctx.response(), new HttpProblem(404, "Unknown broker", "no broker '"
                    + ctx.pathParam("param1") + "' in namespace '" + ctx.pathParam("param0") + "'"), ctx.normalizedPath());
            return;
        }
        BrokerMeters m = meters.computeIfAbsent(broker, this::metersOf);
        List<CloudEvent> events;
        try {
            events = parser.parse(ctx.request().headers(), body);
        } catch (HttpProblem e) {
            reject(ctx, m, e);
            return;
        }
        KafkaCluster kafka = brokers.kafka();
        if (kafka == null || !kafka.isReachable()) {
            unavailable(ctx, m, "Kafka is unreachable; nothing of this request was written, send it again");
            return;
        }
        String topic = KafkaNames.brokerTopic(broker.namespace(), broker.name());
        // Encode every event before sending any, so a request is refused as a whole or sent as a whole.
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            try {
                records.add(KafkaMessageFactory.<String>createWriter(topic, partitionKey(events.get(i)))
                        .writeBinary(events.get(i)));
            } catch (RuntimeException e) {
                HttpProblem problem = HttpProblem.invalid(null, "cannot encode the event for Kafka: " + e.getMessage());
                reject(ctx, m, events.size() > 1 ? problem.inBatch(i) : problem);
                return;
            }
        }
        Runnable accepted = () -> {
            m.accepted.increment(records.size());
            m.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            ctx.response().setStatusCode(202).end();
        };
        Context context = Vertx.currentContext();
        if (EventParser.BATCH.equals(EventParser.mediaType(ctx.request().getHeader("Content-Type")))) {
            kafka.batchProducers().write(records).whenComplete((v, error) -> context.runOnContext(x -> {
                if (error == null) {
                    accepted.run();
                } else {
                    batchFailed(ctx, m, kafka, error instanceof CompletionException ? error.getCause() : error);
                }
            }));
            return;
        }
        sendEach(ctx, m, kafka, records, context, accepted);
    }

    /** Single events: the shared idempotent producer, no transaction. */
    private void sendEach(RoutingContext ctx, BrokerMeters m, KafkaCluster kafka,
            List<ProducerRecord<String, byte[]>> records, Context context, Runnable accepted) {
        AtomicInteger pending = new AtomicInteger(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            try {
                kafka.producer().send(record, (metadata, error) -> {
                    if (error != null) {
                        if (pending.getAndSet(-1) > 0) {
                            context.runOnContext(v -> produceFailed(ctx, m, kafka, error));
                        }
                    } else if (pending.decrementAndGet() == 0) {
                        context.runOnContext(v -> accepted.run());
                    }
                });
            } catch (RuntimeException e) {
                if (pending.getAndSet(-1) > 0) {
                    produceFailed(ctx, m, kafka, e);
                }
                return;
            }
        }
    }

    private static String partitionKey(CloudEvent event) {
        Object key = event.getExtension("partitionkey");
        return key == null ? null : key.toString();
    }

    private void produceFailed(RoutingContext ctx, BrokerMeters m, KafkaCluster kafka, Throwable error) {
        if (error instanceof RecordTooLargeException) {
            reject(ctx, m, new HttpProblem(413, "Payload Too Large", "Kafka refused the event as too large: "
                    + error.getMessage()));
        } else if (error instanceof TimeoutException || error instanceof RetriableException) {
            kafka.markUnreachable();
            unavailable(ctx, m, "Kafka did not acknowledge the event in time: " + error.getMessage()
                    + "; nothing of this request was acknowledged, send it again");
        } else {
            LOG.warnf(error, "producing to Kafka failed");
            reject(ctx, m, new HttpProblem(500, "Internal Server Error", "writing to Kafka failed: "
                    + error.getMessage()));
        }
    }

    /** Says truthfully what became of a batch: its transaction is what triggers see. */
    private void batchFailed(RoutingContext ctx, BrokerMeters m, KafkaCluster kafka, Throwable error) {
        if (!(error instanceof BatchNotWritten failed)) {
            LOG.warnf(error, "writing a batch failed");
            reject(ctx, m, new HttpProblem(500, "Internal Server Error", "writing the batch failed: " + error.getMessage()));
            return;
        }
        Throwable cause = failed.getCause();
        String reason = cause == null ? "unknown" : cause.getMessage();
        if (failed.outcome() == BatchNotWritten.Outcome.UNKNOWN) {
            kafka.markUnreachable();
            unavailable(ctx, m, "Kafka did not confirm the batch's transaction in time (" + reason + "): the batch is"
                    + " visible to triggers either as a whole or not at all; sending it again may deliver its events twice");
            return;
        }
        String notWritten = "the batch was not written, nothing of it is visible to triggers";
        if (cause instanceof RecordTooLargeException && failed.failedIndex() >= 0) {
            int i = failed.failedIndex();
            reject(ctx, m, new HttpProblem(413, "Payload Too Large", "Kafka refused event " + i
                    + " of the batch as too large (" + reason + "): " + notWritten, null, i));
        } else if (cause instanceof TimeoutException || cause instanceof RetriableException) {
            kafka.markUnreachable();
            unavailable(ctx, m, "Kafka is unavailable (" + reason + "): " + notWritten + "; send it again");
        } else {
            LOG.warnf(failed, "writing a batch to Kafka failed");
            Integer index = failed.failedIndex() >= 0 ? failed.failedIndex() : null;
            reject(ctx, m, new HttpProblem(500, "Internal Server Error", "writing the batch to Kafka failed ("
                    + reason + "): " + notWritten, null, index));
        }
    }

    private void unavailable(RoutingContext ctx, BrokerMeters m, String detail) {
        ctx.response().putHeader("Retry-After", "1");
        reject(ctx, m, new HttpProblem(503, "Service Unavailable", detail));
    }

    private void reject(RoutingContext ctx, BrokerMeters m, HttpProblem e) {
        if (m != null) {
            m.rejected(e.status()).increment();
        }
        ProblemResponse.send(ctx.response(), e, ctx.normalizedPath());
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.failure() != null) {
            LOG.warnf(ctx.failure(), "ingress request failed");
        }
        ProblemResponse.send(ctx.response(), new HttpProblem(status < 400 ? 500 : status, "Request failed",
                ctx.failure() == null ? "request failed" : String.valueOf(ctx.failure().getMessage())),
                ctx.normalizedPath());
    }

    private BrokerMeters metersOf(Broker b) {
        return new BrokerMeters(b, registry);
    }

    /** Meters of one broker, created once: looking them up per request would cost more than the work. */
    private static final class BrokerMeters {
        final Counter accepted;
        final Timer latency;
        final ConcurrentHashMap<Integer, Counter> rejected = new ConcurrentHashMap<>();
        final Broker broker;
        final MeterRegistry registry;

        BrokerMeters(Broker b, MeterRegistry registry) {
            this.broker = b;
            this.registry = registry;
            accepted = Counter.builder(Metrics.INGRESS_EVENTS).tag("namespace", b.namespace()).tag("broker", b.name())
                    .register(registry);
            latency = Timer.builder(Metrics.INGRESS_LATENCY).tag("namespace", b.namespace()).tag("broker", b.name())
                    .publishPercentiles(0.5, 0.99).register(registry);
        }

        Counter rejected(int status) {
            return rejected.computeIfAbsent(status, s -> Counter.builder(Metrics.INGRESS_REJECTED)
                    .tag("namespace", broker.namespace()).tag("broker", broker.name()).tag("status", String.valueOf(s))
                    .register(registry));
        }
    }
}
