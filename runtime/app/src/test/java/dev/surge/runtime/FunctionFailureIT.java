package dev.surge.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A function whose process cannot start is restarted with backoff and reported, never silently dropped. */
@QuarkusTest
class FunctionFailureIT {
    @Inject
    SurgeRuntime runtime;

    @Test
    void processThatCannotStartIsRestartedAndReported() {
        // A synchronous call waits for the activation timeout (15 s in the tests), then says why it gave up.
        given().contentType("application/json").body("{}").post("/functions/test/broken")
                .then().statusCode(504).contentType("application/problem+json")
                .body("detail", containsString("had no free ready replica within PT15S"))
                .body("detail", containsString("last exit code 1"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/functions/test/broken").then()
                .statusCode(200).body("restarts", greaterThanOrEqualTo(2)).body("lastExitCode", equalTo(1)));
        var status = runtime.functions().status("test", "broken").orElseThrow();
        assertThat(status.logFile()).exists();
        assertThat(readLog(status.logFile())).contains("Invalid or corrupt jarfile");
    }

    private static String readLog(java.nio.file.Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
