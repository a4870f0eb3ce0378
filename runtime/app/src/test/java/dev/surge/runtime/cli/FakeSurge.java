package dev.surge.runtime.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server (the JDK's) standing in for Surge: it answers each {@code METHOD path} as scripted (404 when not)
 * and records every request it gets, headers (names in lower case) and body.
 */
final class FakeSurge implements AutoCloseable {
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeSurge() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), path, headers, body));
            Answer a = answers.getOrDefault(exchange.getRequestMethod() + " " + path,
                    new Answer(404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404,"
                            + "\"detail\":\"nothing at " + path + "\"}"));
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            if (a.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", a.contentType());
            }
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
    }

    FakeSurge answer(String method, String path, int status, String contentType, String body) {
        answers.put(method + " " + path, new Answer(status, contentType, body));
        return this;
    }

    List<Request> requests() {
        return requests;
    }

    List<Request> posts() {
        return requests.stream().filter(r -> r.method().equals("POST")).toList();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
