package dev.surge.kubernetes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.kubetest.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generated CRDs and the example documents on a real kube-apiserver (1.20.2): the server accepts the CRDs as
 * structural schemas, stores every valid example, and itself refuses every invalid example that breaks a rule of
 * the OpenAPI schema. Rules written as CEL are ignored by 1.20 (Kubernetes applies them from 1.25/1.26); the
 * operator checks those, and this test lists which examples only they catch.
 */
class CrdsOnRealServerIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @BeforeAll
    static void installCrds() {
        SurgeCrds.install(api.client(), Duration.ofSeconds(30));
    }

    @Test
    void theServerStoresEveryValidExampleAndWhatOnlySurgesReaderRefuses() {
        List<Examples.Example> accepted = new ArrayList<>(Examples.in("valid"));
        accepted.addAll(Examples.in("reader-only"));
        assertThat(accepted).isNotEmpty();
        for (Examples.Example example : accepted) {
            GenericKubernetesResource stored = create(example);
            assertThat(stored.getMetadata().getUid()).as(example.toString()).isNotBlank();
        }
    }

    @Test
    void theServerRefusesEveryInvalidExampleThatBreaksTheSchema() {
        List<String> celOnly = new ArrayList<>();
        int refused = 0;
        List<Examples.Example> invalid = new ArrayList<>(Examples.in("invalid"));
        invalid.addAll(Examples.in("schema-stricter"));
        for (Examples.Example example : invalid) {
            List<String> schema = CrdValidator.of(example.kind()).schemaViolations(example.document());
            if (schema.isEmpty()) {
                // Only a CEL rule catches it: 1.20 stores it, a 1.26+ server refuses it, the operator reports it.
                assertThat(create(example).getMetadata().getUid()).as(example.toString()).isNotBlank();
                celOnly.add(example.name());
                continue;
            }
            assertThatThrownBy(() -> create(example)).as(example + " breaks " + schema)
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        // The server names the field, as surge validate does (one may name the parent of the other).
                        List<String> fields = e.getStatus().getDetails().getCauses().stream()
                                .map(c -> String.valueOf(c.getField())).toList();
                        assertThat(fields).as("fields the server named, for " + example.field())
                                .anyMatch(f -> example.field() == null || related(f, example.field()));
                    });
            refused++;
        }
        System.out.printf("refused by the 1.20 server: %d; caught only by CEL rules (1.26+) and the operator: %s%n",
                refused, celOnly);
        assertThat(refused).isGreaterThan(invalid.size() / 2);
        // The cross-field rules are CEL's: the test server cannot have refused them.
        assertThat(celOnly).contains("function-max-below-min.yaml");
    }

    /** Whether two field paths name the same field or one contains the other ({@code spec} and {@code spec.x}). */
    private static boolean related(String a, String b) {
        String x = a.replaceAll("\\[\\d+]", ""); // list positions aside
        String y = b.replaceAll("\\[\\d+]", "");
        return x.equals(y) || x.startsWith(y + ".") || y.startsWith(x + ".");
    }

    /** Creates the example in a namespace of its own; returns what the server stored. */
    private static GenericKubernetesResource create(Examples.Example example) {
        KubernetesClient client = api.client();
        String namespace = "ex-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
        ObjectNode document = ((ObjectNode) example.document()).deepCopy();
        ((ObjectNode) document.with("metadata")).put("namespace", namespace);
        GenericKubernetesResource resource = Serialization.unmarshal(document.toString(), GenericKubernetesResource.class);
        return client.genericKubernetesResources(SurgeApi.GROUP + "/" + SurgeApi.VERSION, example.kind())
                .inNamespace(namespace).resource(resource).create();
    }
}
