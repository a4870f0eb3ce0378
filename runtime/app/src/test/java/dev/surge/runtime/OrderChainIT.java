package dev.surge.runtime;

import static dev.surge.runtime.testing.SurgeTestEnvironment.TOPIC;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.KafkaNames;
import dev.surge.runtime.testing.Lag;
import dev.surge.runtime.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The shop's order flow through real function processes: one {@code shop.order.placed} runs payment,
 * inventory and confirmation once each, in that order, each triggered by the previous one's reply.
 */
@QuarkusTest
class OrderChainIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHAIN = List.of("shop.order.placed", "shop.payment.completed",
            "shop.inventory.reserved", "shop.order.confirmed");

    @Inject
    SurgeRuntime runtime;

    @Test
    void onePlacedOrderRunsEveryStepInOrder() throws Exception {
        String orderId = "order-" + UUID.randomUUID();
        given().contentType("application/cloudevents+json").body("""
                {"specversion":"1.0","id":"%s","source":"/shop/web","type":"shop.order.placed","partitionkey":"%s",
                 "data":{"orderId":"%s","customer":"Ada","lines":[{"sku":"book","quantity":2,"price":12.50}]}}"""
                .formatted(orderId, orderId, orderId))
                .post("/test/events").then().statusCode(202);

        String bootstrap = runtime.kafka().bootstrapServers();
        await().atMost(Duration.ofSeconds(60)).until(() -> ofOrder(bootstrap, orderId).stream()
                .anyMatch(r -> "shop.order.confirmed".equals(TopicReader.header(r, "ce_type"))));
        // Every step has committed past the events of this order: nothing more of it is on its way.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String step : List.of("payment-step", "inventory-step", "confirmation-step")) {
                assertThat(Lag.of(runtime.kafka().admin(), KafkaNames.triggerGroup("test", step), TOPIC)).isZero();
            }
        });

        // Replies inherit the order's partition key, so the whole flow is on one partition, in causal order.
        List<ConsumerRecord<String, byte[]>> flow = ofOrder(bootstrap, orderId);
        // At least once: a step may run twice (a redelivery), so its event may be there twice; each step's first
        // event comes after the previous step's first, and redeliveries stay few (counted, bounded).
        List<String> types = flow.stream().map(r -> TopicReader.header(r, "ce_type")).toList();
        assertThat(types.stream().distinct().toList()).containsExactlyElementsOf(CHAIN);
        int duplicates = types.size() - CHAIN.size();
        System.out.println("order chain: " + duplicates + " duplicate event(s)");
        assertThat(duplicates).as("duplicates of a four-step chain without faults").isLessThanOrEqualTo(CHAIN.size());
        assertThat(flow).extracting(ConsumerRecord::key).containsOnly(orderId);
        ConsumerRecord<String, byte[]> firstConfirmed = flow.get(types.indexOf("shop.order.confirmed"));
        JsonNode confirmed = JSON.readTree(firstConfirmed.value());
        assertThat(confirmed.get("history")).extracting(JsonNode::asText)
                .containsExactly("payment", "inventory", "confirmation");
        assertThat(confirmed.get("confirmation").asText()).isEqualTo("Order " + orderId + " confirmed for Ada, total 25.00");
        assertThat(TopicReader.header(firstConfirmed, "ce_source")).isEqualTo("/functions/confirmation");
    }

    private static List<ConsumerRecord<String, byte[]>> ofOrder(String bootstrap, String orderId) {
        return TopicReader.readAll(bootstrap, TOPIC).stream()
                .filter(r -> CHAIN.contains(TopicReader.header(r, "ce_type")))
                .filter(r -> orderId.equals(orderIdOf(r)))
                .toList();
    }

    private static String orderIdOf(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value()).path("orderId").asText(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
