package dev.surge.runtime.testing;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server that stands in for a trigger's target: it records every request per path and answers
 * 202. Started and stopped by its owner.
 */
public final class RecordingSink implements AutoCloseable {
    public record Received(String path, MultiMap headers, Buffer body) {
        public CloudEvent event() {
            return VertxMessageFactory.createReader(headers, body).toEvent();
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, List<Received>> byPath = new ConcurrentHashMap<>();
    private final HttpServer server;

    public RecordingSink() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
            byPath.computeIfAbsent(req.path(), p -> new CopyOnWriteArrayList<>()).add(new Received(req.path(), headers, body));
            req.response().setStatusCode(202).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public List<Received> received(String path) {
        return byPath.getOrDefault(path, List.of());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
