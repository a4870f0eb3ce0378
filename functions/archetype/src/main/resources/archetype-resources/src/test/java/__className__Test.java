package ${package};

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Posts binary-mode CloudEvents as Surge delivers them: attributes in ce- headers, the data as the body. */
@QuarkusTest
class ${className}Test {

    @Test
    void answersAnEventWithAReplyEvent() {
        given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", "42")
                .header("ce-type", "${eventType}")
                .header("ce-source", "/test")
                .body("{\"name\":\"Ada\"}")
                .post("/")
                .then().statusCode(200)
                .header("ce-type", "${eventType}.reply")
                .header("ce-source", "/functions/${artifactId}")
                .header("ce-id", notNullValue())
                .body("message", equalTo("Hello, Ada!"));
    }

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
