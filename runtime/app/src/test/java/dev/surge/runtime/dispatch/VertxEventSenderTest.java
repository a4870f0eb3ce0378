package dev.surge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.runtime.ingress.EventLimits;
import dev.surge.runtime.ingress.EventParser;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A function's reply, read over real HTTP with the ingress's rules: it goes to the broker as an accepted event. */
class VertxEventSenderTest {
    private Vertx vertx;
    private HttpServer server;
    private VertxEventSender sender;
    private volatile Consumer<io.vertx.core.http.HttpServerResponse> answer;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(r -> r.body().onComplete(b -> answer.accept(r.response())))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        sender = new VertxEventSender(vertx, new EventParser(EventLimits.DEFAULT));
    }

    @AfterEach
    void stop() throws Exception {
        sender.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aValidBinaryReplyIsReadWithItsPercentEncodedValuesDecoded() throws Exception {
        answer = r -> r.putHeader("ce-specversion", "1.0").putHeader("ce-id", "r-1").putHeader("ce-source", "/fn")
                .putHeader("ce-type", "reply").putHeader("ce-greeting", "gr%C3%BC%C3%9F")
                .putHeader("Content-Type", "application/json").end("{\"ok\":true}");
        DeliveryResult result = send();
        assertThat(result.invalidReply()).isNull();
        CloudEvent reply = result.reply();
        assertThat(reply.getId()).isEqualTo("r-1");
        assertThat(reply.getExtension("greeting")).isEqualTo("grüß");
    }

    @Test
    void aReplyTheIngressWouldRefuseIsReportedWithWhy() throws Exception {
        answer = r -> r.putHeader("Content-Type", "application/cloudevents+json").end("{\"specversion\":\"1.0\","
                + "\"id\":\"r-2\",\"source\":\"/fn\",\"type\":\"reply\",\"myext\":\"a\\u000bb\"}");
        DeliveryResult result = send();
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.reply()).isNull();
        assertThat(result.invalidReply()).contains("myext").contains("control character (U+000B)");
    }

    @Test
    void aBatchIsNoReply() throws Exception {
        answer = r -> r.putHeader("Content-Type", "application/cloudevents-batch+json").end("[{\"specversion\":\"1.0\","
                + "\"id\":\"a\",\"source\":\"/fn\",\"type\":\"t\"},{\"specversion\":\"1.0\",\"id\":\"b\",\"source\":\"/fn\",\"type\":\"t\"}]");
        assertThat(send().invalidReply()).isEqualTo("a reply is one event, not a batch of 2");
    }

    @Test
    void aPlainAnswerIsNoReplyAndNoProblem() throws Exception {
        answer = r -> r.putHeader("Content-Type", "text/plain").end("thanks");
        DeliveryResult result = send();
        assertThat(result.reply()).isNull();
        assertThat(result.invalidReply()).isNull();
    }

    private DeliveryResult send() throws Exception {
        CloudEvent event = TriggerDispatcherTest.event("e-1", "want.order");
        return sender.send(URI.create("http://127.0.0.1:" + server.actualPort() + "/"), event, Duration.ofSeconds(10))
                .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
