package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.FunctionStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When {@code surge deploy --wait} is done waiting for a Function. */
class FunctionReadinessTest {
    private static Function function(long generation, Long observed, String ready, String reason) {
        Function f = new Function();
        f.setMetadata(new ObjectMetaBuilder().withNamespace("demo").withName("greeter").withGeneration(generation)
                .build());
        if (ready != null) {
            FunctionStatus s = new FunctionStatus();
            s.setObservedGeneration(observed);
            s.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus(ready).withReason(reason)
                    .withMessage("why").build()));
            f.setStatus(s);
        }
        return f;
    }

    @Test
    void readyForTheSpecJustAppliedEndsTheWaitAlsoAtZeroReplicas() {
        assertThat(FunctionReadiness.of(function(2, 2L, "True", "ScaledToZero")))
                .isEqualTo(new FunctionReadiness(true, "Ready (ScaledToZero: why)"));
    }

    @Test
    void aReadyOfThePreviousSpecDoesNot() {
        assertThat(FunctionReadiness.of(function(3, 2L, "True", "ReplicasReady")))
                .isEqualTo(new FunctionReadiness(false, "the operator has not seen this spec yet (generation 3,"
                        + " observed 2)"));
    }

    @Test
    void notReadyNoConditionAndNoFunctionAreWaitedFor() {
        assertThat(FunctionReadiness.of(function(1, 1L, "False", "ReplicasNotReady")))
                .isEqualTo(new FunctionReadiness(false, "not Ready (ReplicasNotReady: why)"));
        assertThat(FunctionReadiness.of(function(1, null, null, null)).ready()).isFalse();
        assertThat(FunctionReadiness.of(function(1, null, null, null)).state()).startsWith("no Ready condition yet");
        assertThat(FunctionReadiness.of(null)).isEqualTo(new FunctionReadiness(false, "not there yet"));
    }
}
