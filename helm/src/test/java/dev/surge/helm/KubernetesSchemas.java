package dev.surge.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.kubernetes.api.CrdValidator;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a rendered object against the schema of its kind: the Kubernetes kinds with client-java-api's generated
 * readers ({@code V1Deployment.fromJson} refuses a field its OpenAPI schema does not have, anywhere in the object, a
 * missing required field and a value of the wrong JSON type); Surge's kinds with their CRD's OpenAPI schema and CEL
 * rules ({@link CrdValidator}), and no field that the API server would prune. A kind with no schema here is refused,
 * so every kind a chart renders is checked.
 */
final class KubernetesSchemas {
    /** A reader of one kind: {@code fromJson}, which validates. */
    private interface Reader {
        Object read(String json) throws IOException;
    }

    private static final Map<String, Reader> KUBERNETES = Map.ofEntries(
            Map.entry("v1/ServiceAccount", V1ServiceAccount::fromJson),
            Map.entry("v1/Service", V1Service::fromJson),
            Map.entry("v1/ConfigMap", V1ConfigMap::fromJson),
            Map.entry("apps/v1/Deployment", V1Deployment::fromJson),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget::fromJson),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy::fromJson),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", V1ClusterRole::fromJson),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", V1ClusterRoleBinding::fromJson),
            Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role::fromJson),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding::fromJson),
            Map.entry("apiextensions.k8s.io/v1/CustomResourceDefinition", V1CustomResourceDefinition::fromJson));

    private KubernetesSchemas() {
    }

    /** @return why the object's schema refuses it; empty when it is valid */
    static List<String> violations(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        String what = type + " " + object.path("metadata").path("name").asText();
        if (object.path("apiVersion").asText().equals("surge.dev/v1alpha1")) {
            List<String> problems = new ArrayList<>();
            CrdValidator validator = CrdValidator.of(object.path("kind").asText());
            validator.violations(object).forEach(v -> problems.add(what + ": " + v));
            // metadata is ObjectMeta, which the API server never prunes (CrdValidator prunes by the CRD's metadata schema)
            pruned(((com.fasterxml.jackson.databind.node.ObjectNode) object.deepCopy()).without("metadata"),
                    validator.admit(object), "", problems);
            return problems.stream().map(p -> p.startsWith(what) ? p : what + ": " + p).toList();
        }
        Reader reader = KUBERNETES.get(type);
        if (reader == null) {
            return List.of(what + ": no schema to check it against");
        }
        try {
            reader.read(Charts.JSON.writeValueAsString(object));
            return List.of();
        } catch (IOException | RuntimeException e) { // gson's JsonParseException for a wrong type
            return List.of(what + ": " + e.getMessage());
        }
    }

    /** Fields of {@code given} that are not in {@code stored}: those the API server would drop without a word. */
    private static void pruned(JsonNode given, JsonNode stored, String path, List<String> problems) {
        if (given.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path + "." + field.getKey();
                if (!stored.has(field.getKey())) {
                    problems.add(at.substring(1) + ": unknown field, the API server would prune it");
                } else {
                    pruned(field.getValue(), stored.get(field.getKey()), at, problems);
                }
            }
        } else if (given.isArray()) {
            for (int i = 0; i < given.size(); i++) {
                pruned(given.get(i), stored.path(i), path + "[" + i + "]", problems);
            }
        }
    }

    static String json(JsonNode node) {
        try {
            return Charts.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
