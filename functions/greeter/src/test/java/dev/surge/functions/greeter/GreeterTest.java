package dev.surge.functions.greeter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GreeterTest {

    @Test
    void answersAGreetEventWithAGreetingEvent() {
        given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", "42")
                .header("ce-type", "dev.surge.greet")
                .header("ce-source", "/test")
                .body("{\"name\":\"Ada\"}")
                .post("/")
                .then().statusCode(200)
                .header("ce-type", "dev.surge.greeting")
                .header("ce-source", "/functions/greeter")
                .header("ce-id", notNullValue())
                .body("message", equalTo("Hello, Ada!"));
    }

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
