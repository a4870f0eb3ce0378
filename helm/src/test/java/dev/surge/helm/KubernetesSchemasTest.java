package dev.surge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema checks of the chart tests refuse what an API server would refuse, so passing them means something. */
class KubernetesSchemasTest {
    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              replicas: 2
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers:
                    - name: c
                      image: i
                      securityContext: {readOnlyRootFilesystem: true}
            """;

    static Stream<Arguments> brokenDeployments() {
        return Stream.of(
                Arguments.of("a misspelt field deep in the pod", "readOnlyRootFilesystem: true",
                        "readOnlyRootFilesytem: true", "readOnlyRootFilesytem"),
                Arguments.of("a field at the wrong level", "  replicas: 2", "  replicas: 2\n  replica: 2", "replica"),
                Arguments.of("a missing required field", "- name: c", "- imagePullPolicy: Always", "name"),
                Arguments.of("a map where a list belongs", "containers:", "containers: {}\n      initContainers:",
                        "containers"),
                // gson's message names the value, not the field
                Arguments.of("a text where a number belongs", "replicas: 2", "replicas: two", "\"two\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDeployments")
    void aDeploymentThatAnApiServerWouldRefuseIsRefused(String what, String from, String to, String named) throws IOException {
        assertThat(KubernetesSchemas.violations(yaml(DEPLOYMENT))).isEmpty();
        String broken = DEPLOYMENT.replace(from, to);
        assertThat(broken).isNotEqualTo(DEPLOYMENT);
        assertThat(KubernetesSchemas.violations(yaml(broken))).singleElement().asString().contains(named);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a misspelt field (the API server would prune it) | port: 8080 | prot: 8080 | spec.prot",
        "a value out of range | port: 8080 | port: 0 | port",
        "a CEL rule | maxReplicas: 5 | maxReplicas: 0 | maxReplicas",
    })
    void aFunctionThatTheCrdRefusesIsRefused(String what, String from, String to, String named) throws IOException {
        String function = """
                apiVersion: surge.dev/v1alpha1
                kind: Function
                metadata: {name: f}
                spec:
                  image: ghcr.io/acme/f:1
                  port: 8080
                  scaling: {minReplicas: 1, maxReplicas: 5}
                """;
        assertThat(KubernetesSchemas.violations(yaml(function))).isEmpty();
        assertThat(KubernetesSchemas.violations(yaml(function.replace(from, to)))).isNotEmpty()
                .anySatisfy(v -> assertThat(v).contains(named));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an unknown kind | monitoring.coreos.com/v1 | ServiceMonitor",
        "a Kubernetes kind at a version the checks do not know | policy/v1beta1 | PodDisruptionBudget",
    })
    void aKindWithoutASchemaIsRefusedRatherThanPassed(String what, String apiVersion, String kind) throws IOException {
        assertThat(KubernetesSchemas.violations(yaml("apiVersion: " + apiVersion + "\nkind: " + kind
                + "\nmetadata: {name: x}\n"))).singleElement().asString().contains("no schema");
    }

    static JsonNode yaml(String text) throws IOException {
        return Charts.YAML.readTree(text);
    }
}
