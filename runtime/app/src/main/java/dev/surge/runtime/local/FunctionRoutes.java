package dev.surge.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.runtime.config.SurgeConfig;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import dev.surge.runtime.http.BoundedBody;
import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.ProblemResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;

/**
 * Functions over HTTP:
 * <ul>
 * <li>{@code GET /functions} and {@code GET /functions/<namespace>/<function>}: replicas, the matching backlog
 * and the scaler's last decision with its reason;</li>
 * <li>{@code POST /functions/<namespace>/<function>[/path]}: the activator. It forwards the request (a
 * CloudEvent in binary or structured mode, or plain JSON) to a ready replica and returns the function's answer
 * as it is. At zero replicas it starts one and waits, up to {@code surge.functions.activation-timeout}
 * (then 504). The body is bounded like the ingress's ({@code surge.ingress.max-request-bytes}, 413), also
 * when it comes chunked without a {@code Content-Length}.</li>
 * </ul>
 */
@ApplicationScoped
public class FunctionRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_STEP_MS = 10;
    /** How much of a too-large body is read and discarded after the 413, and for how long at most. */
    /** Hop-by-hop headers (RFC 9110, 7.6.1) and those the client recomputes. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "keep-alive", "transfer-encoding",
            "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "content-length");

    @Inject
    LocalFunctions local;
    @Inject
    SurgeConfig config;
    @Inject
    Vertx vertx;

    private HttpClient client;

    /** The supervisor; {@link #requireFunctions} let the request through only when there is one. */
    private FunctionSupervisor supervisor() {
        return local.supervisor().orElseThrow();
    }

    private void requireFunctions(RoutingContext ctx) {
        if (local.supervisor().isEmpty()) {
            problem(ctx, new HttpProblem(404, "No functions here", "this Surge process does not run functions"
                    + " (its roles do not include 'scaler', or surge.functions.enabled=false)"));
            return;
        }
        ctx.next();
    }

    void routes(@Observes Router router) {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        router.routeWithRegex("^/functions(/.*)?$").handler(this::requireFunctions);
        router.get("/functions").handler(this::list);
        router.get("/functions/:namespace/:function").handler(this::show);
        router.routeWithRegex(HttpMethod.POST, "^/functions/([^/]+)/([^/]+)(/.*)?$").handler(this::invoke);
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private void list(RoutingContext ctx) {
        ArrayNode all = JSON.createArrayNode();
        supervisor().status().forEach(s -> all.add(json(s)));
        ctx.response().putHeader("Content-Type", "application/json").end(all.toPrettyString());
    }

    private void show(RoutingContext ctx) {
        Optional<FunctionSupervisor.FunctionStatus> s = supervisor()
                .status(ctx.pathParam("namespace"), ctx.pathParam("function"));
        if (s.isEmpty()) {
            notFound(ctx, ctx.pathParam("namespace"), ctx.pathParam("function"));
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json").end(json(s.get()).toPrettyString());
    }

    private ObjectNode json(FunctionSupervisor.FunctionStatus s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("namespace", s.function().namespace());
        o.put("name", s.function().name());
        o.put("replicas", s.replicas());
        o.put("readyReplicas", s.readyReplicas());
        o.put("inFlight", s.inFlight());
        o.putPOJO("ports", s.ports());
        o.putPOJO("pids", s.pids());
        o.put("restarts", s.restarts());
        if (s.lastExitCode() != null) {
            o.put("lastExitCode", s.lastExitCode());
            o.put("lastExit", s.lastExit().toString());
        }
        o.put("stopped", s.held());
        if (s.failure() != null) {
            o.put("failure", s.failure());
        }
        o.put("log", s.logFile().toString());
        LocalScaler scaler = local.scaler().orElse(null);
        if (scaler != null) {
            scaler.status(s.function().namespace(), s.function().name()).ifPresent(sc -> {
                o.put("backlog", sc.backlog());
                if (sc.decision() != null) {
                    ObjectNode d = o.putObject("lastDecision");
                    d.put("replicas", sc.decision().replicas());
                    d.put("reason", sc.decision().reason());
                    d.put("at", sc.decidedAt().toString());
                }
            });
        }
        var p = s.function().scaling();
        ObjectNode scaling = o.putObject("scaling");
        scaling.put("minReplicas", p.minReplicas());
        scaling.put("maxReplicas", p.maxReplicas());
        scaling.put("lagThreshold", p.lagThreshold());
        scaling.put("activationLagThreshold", p.activationLagThreshold());
        scaling.put("cooldownPeriod", p.cooldownPeriod().toString());
        scaling.put("pollingInterval", p.pollingInterval().toString());
        scaling.put("stabilizationWindow", p.stabilizationWindow().toString());
        return o;
    }

    private void invoke(RoutingContext ctx) {
        String namespace = ctx.pathParam("param0");
        String function = ctx.pathParam("param1");
        String rest = ctx.pathParam("param2");
        FunctionSupervisor supervisor = supervisor();
        Optional<FunctionSupervisor.FunctionStatus> status = supervisor.status(namespace, function);
        if (status.isEmpty()) {
            notFound(ctx, namespace, function);
            return;
        }
        if (status.get().held()) {
            String why = status.get().failure() == null ? "" : " (" + status.get().failure() + "; see "
                    + status.get().logFile() + ")";
            problem(ctx, new HttpProblem(503, "Function stopped", "function " + namespace + "/" + function
                    + " is stopped" + why));
            return;
        }
        long deadline = System.nanoTime() + config.functions().activationTimeout().toNanos();
        readBounded(ctx, body -> {
            String path = rest == null || rest.isEmpty() ? "/" : rest;
            String query = ctx.request().query();
            awaitReplica(ctx, namespace, function, deadline, lease -> forward(ctx, lease,
                    path + (query == null ? "" : "?" + query), body));
        });
    }

    /**
     * Reads the body up to {@code surge.ingress.max-request-bytes}, as the ingress does: a larger one gets 413
     * as soon as its size is known — from Content-Length, or while a chunked body streams in — instead of being
     * buffered whole; then the rest is read and discarded up to a bound (a lingering close, as nginx's), so a
     * client that writes its whole body before reading gets the 413 rather than a connection reset.
     */
    private void readBounded(RoutingContext ctx, java.util.function.Consumer<Buffer> then) {
        int limit = config.ingress().maxRequestBytes();
        BoundedBody.read(ctx, limit, () -> tooLarge(ctx, limit), then);
    }


    private static void tooLarge(RoutingContext ctx, int limit) {
        problem(ctx, new HttpProblem(413, "Payload Too Large", "the request is larger than " + limit
                + " bytes (surge.ingress.max-request-bytes)"));
    }

    /** Waits for a free slot on a ready replica, asking the scaler to start one; 504 at the deadline. */
    private void awaitReplica(RoutingContext ctx, String namespace, String function, long deadline,
            java.util.function.Consumer<FunctionEndpoints.Lease> then) {
        Optional<FunctionEndpoints.Lease> lease = supervisor().acquire(namespace, function);
        if (lease.isPresent()) {
            then.accept(lease.get());
            return;
        }
        if (!supervisor().hasReady(namespace, function)) {
            supervisor().activate(namespace, function);
        }
        if (System.nanoTime() > deadline) {
            var s = supervisor().status(namespace, function).orElseThrow();
            String detail = "function " + namespace + "/" + function + " had no free ready replica within "
                    + config.functions().activationTimeout() + " (replicas " + s.replicas() + ", ready "
                    + s.readyReplicas() + (s.lastExitCode() == null ? "" : ", last exit code " + s.lastExitCode())
                    + "); see " + s.logFile();
            problem(ctx, new HttpProblem(504, "Function not ready", detail));
            return;
        }
        vertx.setTimer(WAIT_STEP_MS, id -> awaitReplica(ctx, namespace, function, deadline, then));
    }

    private void forward(RoutingContext ctx, FunctionEndpoints.Lease lease, String path, Buffer body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        ctx.request().headers().forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                headers.add(name, value);
            }
        });
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(lease.uri().resolve(path).toString()).setHeaders(headers);
        client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(answer -> {
                    var out = ctx.response().setStatusCode(response.statusCode());
                    response.headers().forEach((name, value) -> {
                        if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                            out.headers().add(name, value);
                        }
                    });
                    out.end(answer);
                    return answer;
                }))
                .onComplete(ar -> {
                    lease.release();
                    if (ar.failed()) {
                        problem(ctx, new HttpProblem(502, "Function failed", "calling " + lease.uri() + " failed: "
                                + ar.cause().getMessage()));
                    }
                });
    }

    private static void notFound(RoutingContext ctx, String namespace, String function) {
        problem(ctx, new HttpProblem(404, "Unknown function", "no function '" + function + "' in namespace '"
                + namespace + "'"));
    }

    private static void problem(RoutingContext ctx, HttpProblem e) {
        ProblemResponse.send(ctx.response(), e, ctx.normalizedPath());
    }
}
