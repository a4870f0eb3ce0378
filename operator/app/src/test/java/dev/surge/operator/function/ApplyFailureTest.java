package dev.surge.operator.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.operator.status.Readiness;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ApplyFailureTest {

    @Test
    void aWriteTheServerRefusedSaysWhatTheServerSaid() {
        var refused = new KubernetesClientException(new StatusBuilder().withCode(422).withReason("Invalid")
                .withMessage("Deployment.apps \"packer\" is invalid: spec.template.spec.containers[0].resources"
                        + ".requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified")
                .build());

        assertThat(ApplyFailure.readiness(refused)).contains(Readiness.notReady("ApplyFailed",
                "the API server refused the Function's workload (HTTP 422): Deployment.apps \"packer\" is invalid:"
                        + " spec.template.spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a"
                        + " standard resource type or fully qualified; fix the Function's spec (the operator tries"
                        + " again, at most a minute apart)"));
    }

    @Test
    void aServerOutOfReachSaysWhy() {
        var unreachable = new KubernetesClientException("An error has occurred.",
                new IOException("Connection refused"));

        assertThat(ApplyFailure.readiness(new RuntimeException("wrapped", unreachable))).contains(Readiness.notReady(
                "ApplyFailed", "writing the Function's workload failed: Connection refused (the operator tries again,"
                        + " at most a minute apart)"));
    }

    @Test
    void anythingElseIsNoApplyFailure() {
        assertThat(ApplyFailure.readiness(new IllegalStateException("a bug"))).isEmpty();
    }
}
