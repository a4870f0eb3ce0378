package dev.surge.runtime.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for functions that misbehave in scripted ways. Each path has a
 * {@link Script}: given how often this event id was seen on this path, it says which status to answer and
 * after how long. Every request is recorded with its arrival time.
 */
public final class ScriptedTarget implements AutoCloseable {

    /** What to answer to the {@code attempt}-th request (1-based) for one event id. */
    @FunctionalInterface
    public interface Script {
        Answer answer(int attempt);
    }

    /** What to answer to the {@code attempt}-th request (1-based) for the event {@code id}. */
    @FunctionalInterface
    public interface EventScript {
        Answer answer(String id, int attempt);
    }

    public record Answer(int status, long delayMs, String body) {
        public static Answer ok() {
            return new Answer(200, 0, "");
        }

        public static Answer after(long delayMs) {
            return new Answer(200, delayMs, "");
        }
    }

    /** One request as it arrived, and the status it was answered with. */
    public record Arrival(String path, String id, String key, long nanos, MultiMap headers, Buffer body, int status) {
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, EventScript> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public ScriptedTarget() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String id = req.getHeader("ce-id");
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
            long arrived = System.nanoTime();
            int n = attempts.computeIfAbsent(req.path() + "|" + id, k -> new AtomicInteger()).incrementAndGet();
            Answer a = scripts.getOrDefault(req.path(), (event, attempt) -> Answer.ok()).answer(id, n);
            arrivals.add(new Arrival(req.path(), id, req.getHeader("ce-partitionkey"), arrived, headers, body, a.status()));
            Runnable respond = () -> req.response().setStatusCode(a.status()).end(a.body());
            if (a.delayMs() > 0) {
                vertx.setTimer(a.delayMs(), t -> respond.run());
            } else {
                respond.run();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public void script(String path, Script script) {
        scripts.put(path, (id, attempt) -> script.answer(attempt));
    }

    public void script(String path, EventScript script) {
        scripts.put(path, script);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    public List<Arrival> arrivals(String path) {
        return arrivals.stream().filter(a -> a.path().equals(path)).toList();
    }

    public List<Arrival> arrivals(String path, String id) {
        return arrivals.stream().filter(a -> a.path().equals(path) && id.equals(a.id())).toList();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
