package dev.surge.operator.function;

import dev.surge.kubernetes.api.SurgeApi;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * A dispatcher's request to start a Function at zero replicas: the annotation {@value #ANNOTATION} (an RFC 3339
 * time) that it writes on the Function with a JSON merge patch. The Function controller is not generation-aware,
 * so a change of this annotation alone reconciles the Function at once, without any polling.
 */
public final class ActivationRequest {
    public static final String ANNOTATION = SurgeApi.ACTIVATION_REQUESTED_AT;

    private ActivationRequest() {
    }

    /** When activation was last requested; empty when never, or when the annotation is not an RFC 3339 time. */
    public static Optional<Instant> of(HasMetadata function) {
        Map<String, String> annotations = function.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ANNOTATION);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
