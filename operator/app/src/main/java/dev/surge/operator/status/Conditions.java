package dev.surge.operator.status;

import dev.surge.kubernetes.api.SurgeStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Ready} condition of a status, with metav1.Condition's rules: {@code lastTransitionTime} changes only
 * when the status flips (True ↔ False), so a status rewritten with the same outcome stays equal and is not patched
 * again; other condition types are kept as they are.
 */
public final class Conditions {
    private Conditions() {
    }

    /** {@code conditions} with Ready set to {@code readiness}, observed at {@code generation}. A new list. */
    public static List<Condition> withReady(List<Condition> conditions, Readiness readiness, Long generation,
            Instant now) {
        List<Condition> next = new ArrayList<>();
        Optional<Condition> previous = Optional.empty();
        for (Condition c : conditions == null ? List.<Condition>of() : conditions) {
            if (SurgeStatus.READY.equals(c.getType())) {
                previous = Optional.of(c);
            } else {
                next.add(c);
            }
        }
        String status = readiness.ready() ? "True" : "False";
        String since = previous.filter(p -> status.equals(p.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        next.add(0, new ConditionBuilder()
                .withType(SurgeStatus.READY)
                .withStatus(status)
                .withReason(readiness.reason())
                .withMessage(readiness.message())
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build());
        return next;
    }

    /** The Ready condition of {@code status}, if any. */
    public static Optional<Condition> ready(SurgeStatus status) {
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream().filter(c -> SurgeStatus.READY.equals(c.getType())).findFirst();
    }

    /** Whether the Ready condition flips or its reason changes: worth a Kubernetes Event. */
    public static boolean changes(SurgeStatus before, Readiness after) {
        Optional<Condition> ready = ready(before);
        return ready.isEmpty()
                || !ready.get().getStatus().equals(after.ready() ? "True" : "False")
                || !after.reason().equals(ready.get().getReason());
    }
}
