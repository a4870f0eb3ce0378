package dev.surge.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Function;
import dev.surge.core.resource.Metadata;
import dev.surge.core.scaling.ScalingPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionChangesTest {
    static Function function(String name, Map<String, String> env) {
        return new Function(new Metadata(name, "ns"), null, "/apps/" + name, Function.DEFAULT_PORT, env, 10,
                ScalingPolicy.DEFAULT);
    }

    private static final Function A = function("a", Map.of());
    private static final Function B = function("b", Map.of());
    private static final Function C = function("c", Map.of());

    @Test
    void sameSetIsNoChange() {
        FunctionChanges c = FunctionChanges.between(List.of(A, B), List.of(function("b", Map.of()), A));
        assertThat(c.none()).isTrue();
    }

    @Test
    void addedRemovedAndChangedByValue() {
        Function newA = function("a", Map.of("GREETING", "Hello"));
        FunctionChanges c = FunctionChanges.between(List.of(A, B), List.of(newA, C));
        assertThat(c.added()).containsExactly(C);
        assertThat(c.removed()).containsExactly(B);
        assertThat(c.changed()).containsExactly(newA);
    }

    @Test
    void sameNameInAnotherNamespaceIsAnotherFunction() {
        Function otherA = new Function(new Metadata("a", "other"), null, "/apps/a", Function.DEFAULT_PORT, Map.of(), 10,
                ScalingPolicy.DEFAULT);
        FunctionChanges c = FunctionChanges.between(List.of(A), List.of(A, otherA));
        assertThat(c.added()).containsExactly(otherA);
        assertThat(c.changed()).isEmpty();
    }

    @Test
    void fromNothingEverythingIsAdded() {
        FunctionChanges c = FunctionChanges.between(List.of(), List.of(A, B));
        assertThat(c.added()).containsExactly(A, B);
        assertThat(c.removed()).isEmpty();
    }
}
