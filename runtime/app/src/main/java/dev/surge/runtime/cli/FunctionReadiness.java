package dev.surge.runtime.cli;

import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.SurgeStatus;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Whether a deployed Function is Ready, as {@code surge deploy --wait} waits for it: its {@code Ready} condition is
 * {@code True} and the operator has seen the spec just applied ({@code status.observedGeneration} is the Function's
 * generation), so a Ready of the previous spec does not end the wait. A Function at zero replicas is Ready
 * ({@code ScaledToZero}): it starts on its first event. Pure.
 *
 * @param ready whether the wait is over
 * @param state where it is, in words, for the progress lines
 */
record FunctionReadiness(boolean ready, String state) {
    static FunctionReadiness of(Function function) {
        if (function == null) {
            return new FunctionReadiness(false, "not there yet");
        }
        SurgeStatus status = function.getStatus();
        Condition ready = status == null || status.getConditions() == null ? null : status.getConditions().stream()
                .filter(c -> SurgeStatus.READY.equals(c.getType())).findFirst().orElse(null);
        if (ready == null) {
            return new FunctionReadiness(false, "no Ready condition yet (the operator of the surge chart sets it)");
        }
        Long generation = function.getMetadata().getGeneration();
        Long observed = status.getObservedGeneration();
        if (generation != null && observed != null && observed < generation) {
            return new FunctionReadiness(false, "the operator has not seen this spec yet (generation " + generation
                    + ", observed " + observed + ")");
        }
        String why = ready.getReason() == null || ready.getReason().isBlank() ? ""
                : " (" + ready.getReason() + (ready.getMessage() == null || ready.getMessage().isBlank() ? ""
                        : ": " + ready.getMessage()) + ")";
        return "True".equals(ready.getStatus()) ? new FunctionReadiness(true, "Ready" + why)
                : new FunctionReadiness(false, "not Ready" + why);
    }
}
