package dev.surge.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.kubernetes.api.FunctionStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    static final Instant T1 = Instant.parse("2026-01-01T10:00:00.400Z");
    static final Instant T2 = Instant.parse("2026-01-01T10:05:00Z");

    @Test
    void firstReadyConditionCarriesEverything() {
        List<Condition> c = Conditions.withReady(null, Readiness.notReady("InvalidSpec", "spec.image: set it"), 3L, T1);
        assertThat(c).singleElement().satisfies(r -> {
            assertThat(r.getType()).isEqualTo("Ready");
            assertThat(r.getStatus()).isEqualTo("False");
            assertThat(r.getReason()).isEqualTo("InvalidSpec");
            assertThat(r.getMessage()).isEqualTo("spec.image: set it");
            assertThat(r.getObservedGeneration()).isEqualTo(3L);
            assertThat(r.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        });
    }

    @Test
    void transitionTimeMovesOnlyWhenTheStatusFlips() {
        List<Condition> first = Conditions.withReady(null, Readiness.ready("ReplicasReady", "1 of 1"), 1L, T1);
        List<Condition> same = Conditions.withReady(first, Readiness.ready("ScaledToZero", "none"), 2L, T2);
        assertThat(same.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(same.get(0).getReason()).isEqualTo("ScaledToZero");
        assertThat(same.get(0).getObservedGeneration()).isEqualTo(2L);
        List<Condition> flipped = Conditions.withReady(same, Readiness.notReady("ReplicasNotReady", "0 of 1"), 2L, T2);
        assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
    }

    @Test
    void otherConditionsAreKept() {
        Condition other = new ConditionBuilder().withType("Scaling").withStatus("True").build();
        List<Condition> c = Conditions.withReady(List.of(other), Readiness.ready("Routed", "ok"), 1L, T1);
        assertThat(c).extracting(Condition::getType).containsExactly("Ready", "Scaling");
    }

    @Test
    void anEventIsDueWhenReadinessOrItsReasonChanges() {
        FunctionStatus status = new FunctionStatus();
        assertThat(Conditions.changes(status, Readiness.ready("ScaledToZero", "x"))).isTrue();
        status.setConditions(Conditions.withReady(null, Readiness.ready("ScaledToZero", "x"), 1L, T1));
        assertThat(Conditions.changes(status, Readiness.ready("ScaledToZero", "other words"))).isFalse();
        assertThat(Conditions.changes(status, Readiness.ready("ReplicasReady", "x"))).isTrue();
        assertThat(Conditions.changes(status, Readiness.notReady("ScaledToZero", "x"))).isTrue();
    }

    @Test
    void statusesCompareByValue() {
        FunctionStatus a = new FunctionStatus();
        a.setConditions(Conditions.withReady(null, Readiness.ready("ScaledToZero", "x"), 1L, T1));
        FunctionStatus b = StatusValues.copy(a, FunctionStatus.class);
        assertThat(StatusValues.same(a, b)).isTrue();
        b.setReplicas(1);
        assertThat(StatusValues.same(a, b)).isFalse();
    }
}
