package dev.surge.functions.orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderStepsTest {

    private static ValidatableResponse post(String type, String body) {
        return given().contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/test")
                .header("ce-type", type)
                .body(body).post("/").then().statusCode(200);
    }

    @Test
    void eachStepAnswersWithTheEventOfTheNext() {
        String placed = """
                {"orderId":"o-1","customer":"Ada","lines":[{"sku":"book","quantity":2,"price":12.50}]}""";
        String paid = post("shop.order.placed", placed)
                .header("ce-type", "shop.payment.completed").header("ce-source", "/functions/payment")
                .body("total", equalTo(25.0f)).body("paymentId", startsWith("pay-"))
                .extract().asString();
        String reserved = post("shop.payment.completed", paid)
                .header("ce-type", "shop.inventory.reserved")
                .body("reservationId", startsWith("res-"))
                .extract().asString();
        post("shop.inventory.reserved", reserved)
                .header("ce-type", "shop.order.confirmed")
                .body("confirmation", equalTo("Order o-1 confirmed for Ada, total 25.00"))
                .body("history", contains("payment", "inventory", "confirmation"));
    }
}
