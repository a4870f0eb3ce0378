package dev.surge.operator.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateDriftTest {
    private static final Map<String, Object> FUNCTION = Map.of(".", Map.of(), "f:image", Map.of(),
            "f:env", Map.of("k:{\"name\":\"GREETING\"}", Map.of(".", Map.of(), "f:name", Map.of(), "f:value", Map.of())));

    @Test
    void fieldsOnlyAnotherManagerOwnsInThePodSpecAreDrift() {
        Deployment d = deployment(
                entry("surge-operator", podSpec(Map.of("f:containers", Map.of("k:{\"name\":\"function\"}", FUNCTION)))),
                entry("kubectl-patch", podSpec(Map.of("f:hostNetwork", Map.of(),
                        "f:containers", Map.of("k:{\"name\":\"function\"}", Map.of("f:env", Map.of(
                                "k:{\"name\":\"INJECTED\"}", Map.of(".", Map.of(), "f:name", Map.of(), "f:value", Map.of()))))))));

        assertThat(TemplateDrift.addedByOthers(d, "surge-operator")).contains(
                "f:spec/f:template/f:spec/f:hostNetwork",
                "f:spec/f:template/f:spec/f:containers/k:{\"name\":\"function\"}/f:env/k:{\"name\":\"INJECTED\"}");
    }

    @Test
    void fieldsTheOperatorOwnsTooTheReplicasAndThePodTemplatesMetadataAreNot() {
        Deployment d = deployment(
                entry("surge-operator", podSpec(Map.of("f:containers", Map.of("k:{\"name\":\"function\"}", FUNCTION)))),
                // an earlier create by another manager, with the same fields
                entry("fabric8-kubernetes-client", podSpec(Map.of("f:containers", Map.of("k:{\"name\":\"function\"}", FUNCTION)))),
                entry("surge-scaler", Map.of("f:spec", Map.of("f:replicas", Map.of()))),
                entry("kubectl-rollout", Map.of("f:spec", Map.of("f:template", Map.of("f:metadata",
                        Map.of("f:annotations", Map.of("f:kubectl.kubernetes.io/restartedAt", Map.of())))))));

        assertThat(TemplateDrift.addedByOthers(d, "surge-operator")).isEmpty();
    }

    private static Map<String, Object> podSpec(Map<String, Object> spec) {
        return Map.of("f:spec", Map.of("f:template", Map.of("f:spec", spec)));
    }

    private static io.fabric8.kubernetes.api.model.ManagedFieldsEntry entry(String manager, Map<String, Object> fields) {
        FieldsV1 f = new FieldsV1();
        fields.forEach(f::setAdditionalProperty);
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update").withFieldsV1(f).build();
    }

    private static Deployment deployment(io.fabric8.kubernetes.api.model.ManagedFieldsEntry... entries) {
        return new DeploymentBuilder().withNewMetadata().withName("f").withManagedFields(entries).endMetadata().build();
    }
}
