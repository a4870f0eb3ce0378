package dev.surge.runtime.ingress;

import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.ProblemResponse;

import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Broker;
import dev.surge.runtime.Metrics;
import dev.surge.runtime.SurgeConfig;
import dev.surge.runtime.SurgeRuntime;
import dev.surge.runtime.kafka.KafkaCluster;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
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
 * ({@code ce_} headers); the {@code partitionkey} extension becomes the record key.
 */
@ApplicationScoped
public class IngressRoutes {
    private static final Logger LOG = Logger.getLogger(IngressRoutes.class);
    /** Two path segments; {@code /q/...} stays Quarkus' own (health, metrics), {@code /functions/...} the activator's. */
    static final String PATH = "^/(?!q/|functions/)([^/]+)/([^/]+)/?$";

    @Inject
    SurgeRuntime runtime;
    @Inject
    SurgeConfig config;
    @Inject
    MeterRegistry registry;

    private final EventParser parser = new EventParser();
    private final ConcurrentHashMap<Broker, BrokerMeters> meters = new ConcurrentHashMap<>();

    void routes(@Observes Router router) {
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
        if (broker(ctx) == null) {
            ProblemResponse.send(ctx.response(), new HttpProblem(404, "Unknown broker", "no broker '"
                    + ctx.pathParam("param1") + "' in namespace '" + ctx.pathParam("param0") + "'"), ctx.normalizedPath());
            return;
        }
        readBody(ctx);
    }

    /**
     * Reads the body up to the configured limit; larger requests get 413 as soon as their size is known
     * (from Content-Length, or while a chunked body streams in) rather than after buffering them.
     */
    private void readBody(RoutingContext ctx) {
        int limit = config.ingress().maxRequestBytes();
        HttpServerRequest request = ctx.request();
        String length = request.getHeader("Content-Length");
        if (length != null && parseLength(length) > limit) {
            tooLarge(ctx);
            return;
        }
        Buffer body = Buffer.buffer(length == null ? 1024 : (int) Math.max(parseLength(length), 0));
        boolean[] over = {false};
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                over[0] = true;
                tooLarge(ctx);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(e -> {
            if (!ctx.response().ended()) {
                ctx.fail(e);
            }
        });
        request.endHandler(v -> {
            if (!over[0]) {
                accept(ctx, body);
            }
        });
        request.resume();
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void tooLarge(RoutingContext ctx) {
        Broker broker = broker(ctx);
        reject(ctx, broker == null ? null : meters.computeIfAbsent(broker, this::metersOf),
                new HttpProblem(413, "Payload Too Large", "the request is larger than "
                        + config.ingress().maxRequestBytes() + " bytes (surge.ingress.max-request-bytes)"));
    }

    private Broker broker(RoutingContext ctx) {
        return runtime.resources().broker(ctx.pathParam("param0"), ctx.pathParam("param1")).orElse(null);
    }

    private void accept(RoutingContext ctx, Buffer body) {
        long start = System.nanoTime();
        Broker broker = broker(ctx);
        BrokerMeters m = meters.computeIfAbsent(broker, this::metersOf);
        List<CloudEvent> events;
        try {
            events = parser.parse(ctx.request().headers(), body);
        } catch (HttpProblem e) {
            reject(ctx, m, e);
            return;
        }
        KafkaCluster kafka = runtime.kafka();
        if (!kafka.isReachable()) {
            unavailable(ctx, m, "Kafka is unreachable");
            return;
        }
        String topic = KafkaNames.brokerTopic(broker.namespace(), broker.name());
        // Encode every event before sending any, so a request is refused as a whole or sent as a whole.
        List<ProducerRecord<String, byte[]>> records = new java.util.ArrayList<>(events.size());
        for (CloudEvent event : events) {
            try {
                records.add(KafkaMessageFactory.<String>createWriter(topic, partitionKey(event)).writeBinary(event));
            } catch (RuntimeException e) {
                reject(ctx, m, HttpProblem.invalid(null, "cannot encode the event for Kafka: " + e.getMessage()));
                return;
            }
        }
        Context context = Vertx.currentContext();
        AtomicInteger pending = new AtomicInteger(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            try {
                kafka.producer().send(record, (metadata, error) -> {
                    if (error != null) {
                        if (pending.getAndSet(-1) > 0) {
                            context.runOnContext(v -> produceFailed(ctx, m, error));
                        }
                    } else if (pending.decrementAndGet() == 0) {
                        context.runOnContext(v -> {
                            m.accepted.increment(records.size());
                            m.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                            ctx.response().setStatusCode(202).end();
                        });
                    }
                });
            } catch (RuntimeException e) {
                if (pending.getAndSet(-1) > 0) {
                    produceFailed(ctx, m, e);
                }
                return;
            }
        }
    }

    private static String partitionKey(CloudEvent event) {
        Object key = event.getExtension("partitionkey");
        return key == null ? null : key.toString();
    }

    private void produceFailed(RoutingContext ctx, BrokerMeters m, Throwable error) {
        if (error instanceof RecordTooLargeException) {
            reject(ctx, m, new HttpProblem(413, "Payload Too Large", "Kafka refused the event as too large: "
                    + error.getMessage()));
        } else if (error instanceof TimeoutException || error instanceof RetriableException) {
            runtime.kafka().markUnreachable();
            unavailable(ctx, m, "Kafka did not acknowledge the event in time: " + error.getMessage());
        } else {
            LOG.warnf(error, "producing to Kafka failed");
            reject(ctx, m, new HttpProblem(500, "Internal Server Error", "writing to Kafka failed: "
                    + error.getMessage()));
        }
    }

    private void unavailable(RoutingContext ctx, BrokerMeters m, String detail) {
        ctx.response().putHeader("Retry-After", "1");
        reject(ctx, m, new HttpProblem(503, "Service Unavailable", detail
                + "; nothing of this request was acknowledged, send it again"));
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
