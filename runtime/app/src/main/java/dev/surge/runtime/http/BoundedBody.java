package dev.surge.runtime.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Reads a request body up to a limit, for every endpoint that takes one (the ingress, the activator). A larger
 * body is refused as soon as its size is known — from Content-Length, or while a chunked body streams in —
 * instead of being buffered whole. Then, as nginx's lingering close does, the rest is read and discarded up to
 * {@value #DRAIN_FACTOR}× the limit or {@value #DRAIN_MS} ms before the connection is closed, so a client that
 * writes its whole body before reading the answer receives the 413 instead of a connection reset.
 */
public final class BoundedBody {
    /** How much of a refused body is drained, in multiples of the limit, before the connection is closed. */
    public static final int DRAIN_FACTOR = 4;
    /** How long a refused body is drained at most. */
    public static final long DRAIN_MS = 5000;

    private BoundedBody() {
    }

    /**
     * @param tooLarge answers the refused request (413); runs at most once, before the drain
     * @param then     gets the whole body when it is within the limit
     */
    public static void read(RoutingContext ctx, int limit, Runnable tooLarge, Consumer<Buffer> then) {
        long drainLimit = (long) DRAIN_FACTOR * limit;
        HttpServerRequest request = ctx.request();
        long declared = contentLength(request.getHeader("Content-Length"));
        Buffer body = Buffer.buffer(declared < 0 || declared > limit ? 1024 : (int) declared);
        long[] received = {0};
        boolean[] over = {false};
        Runnable refuse = () -> {
            over[0] = true;
            tooLarge.run();
            long timer = ctx.vertx().setTimer(DRAIN_MS, t -> request.connection().close());
            request.endHandler(v -> ctx.vertx().cancelTimer(timer));
        };
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (over[0]) {
                if (received[0] > drainLimit) {
                    request.connection().close();
                }
            } else if (received[0] > limit) {
                refuse.run();
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(e -> {
            if (!ctx.response().ended()) {
                ctx.fail(e);
            }
        });
        request.endHandler(v -> then.accept(body));
        if (declared > limit) {
            refuse.run();
        }
        request.resume(); // Quarkus hands routes a paused request
    }

    /**
     * Answers a request that is refused before its body was read (e.g. 401), then reads and discards its body as a
     * refused too-large one is, so that a client that writes its whole body first still receives the answer.
     */
    public static void refuse(RoutingContext ctx, int limit, Runnable answer) {
        HttpServerRequest request = ctx.request();
        answer.run();
        long drainLimit = (long) DRAIN_FACTOR * limit;
        long[] received = {0};
        long timer = ctx.vertx().setTimer(DRAIN_MS, t -> request.connection().close());
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] > drainLimit) {
                request.connection().close();
            }
        });
        request.exceptionHandler(e -> ctx.vertx().cancelTimer(timer));
        request.endHandler(v -> ctx.vertx().cancelTimer(timer));
        request.resume();
    }

    /** The declared length, or -1 when absent or not a number. */
    public static long contentLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
