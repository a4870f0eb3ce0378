package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What every Surge resource reports: conditions in Kubernetes' {@code metav1.Condition} shape (type, status,
 * reason, message, lastTransitionTime, observedGeneration), and the generation of the spec last acted on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class SurgeStatus {
    /** The condition that says whether the resource does its job; {@code kubectl get} shows its status. */
    public static final String READY = "Ready";

    @JsonPropertyDescription("metadata.generation of the spec that this status describes")
    private Long observedGeneration;

    @JsonPropertyDescription("Current state; type Ready says whether the resource works, with the reason if not")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
