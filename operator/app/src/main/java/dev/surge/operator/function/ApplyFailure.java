package dev.surge.operator.function;

import dev.surge.operator.status.Readiness;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * What a Function's {@code Ready} condition says when writing its Service or Deployment failed: the API server
 * refused the write (e.g. a resource name it does not know, {@code gpu} for {@code nvidia.com/gpu}; whatever the
 * operator's own checks cannot foresee), or it could not be reached. Pure.
 */
public final class ApplyFailure {
    public static final String REASON = "ApplyFailed";

    private ApplyFailure() {
    }

    /** The readiness for {@code failure} when it is a failed call to the API server (also as a cause); else empty. */
    public static Optional<Readiness> readiness(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException e) {
                return Optional.of(Readiness.notReady(REASON, message(e)));
            }
        }
        return Optional.empty();
    }

    /**
     * The server's own message when it answered (it names the object and the field, e.g. {@code Deployment.apps
     * "packer" is invalid: spec.template.spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a
     * standard resource type or fully qualified}), else the client's; and what happens next.
     */
    static String message(KubernetesClientException e) {
        String server = e.getStatus() == null ? null : e.getStatus().getMessage();
        if (server != null && !server.isBlank()) {
            return "the API server refused the Function's workload (HTTP " + e.getCode() + "): " + server
                    + "; fix the Function's spec (the operator tries again, at most a minute apart)";
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return "writing the Function's workload failed: " + cause.getMessage()
                + " (the operator tries again, at most a minute apart)";
    }
}
