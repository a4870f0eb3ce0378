package dev.surge.kubernetes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectnessie.cel.checker.Decls;
import org.projectnessie.cel.tools.Script;
import org.projectnessie.cel.tools.ScriptHost;

/**
 * What a Kubernetes 1.26+ API server does with a custom resource of one of Surge's CRDs, without a server:
 * prune fields the schema does not know, apply the schema's defaults, validate against the OpenAPI v3 schema
 * (networknt's validator), and evaluate the {@code x-kubernetes-validations} CEL rules (Nessie's CEL-Java) where
 * they stand. The test server here (1.20) does all but the last.
 */
public final class CrdValidator {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Set<String> ROOT_FIELDS_KEPT = Set.of("apiVersion", "kind", "metadata");
    private static final Map<String, CrdValidator> BY_KIND = new java.util.concurrent.ConcurrentHashMap<>();
    private static final ScriptHost CEL = ScriptHost.newBuilder().build();

    private final CustomResourceDefinition crd;
    private final JsonNode schema;
    private final JsonSchema openApi;

    private CrdValidator(CustomResourceDefinition crd) {
        this.crd = crd;
        this.schema = SERIALIZATION.convertValue(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(),
                JsonNode.class);
        // OpenAPI 3.0's schema object is JSON Schema draft 4 with extensions (x-kubernetes-*), which draft 4 ignores.
        this.openApi = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    }

    /** @param kind Broker, Function or Trigger */
    public static CrdValidator of(String kind) {
        return BY_KIND.computeIfAbsent(kind, k -> new CrdValidator(SurgeCrds.all().stream()
                .filter(c -> c.getSpec().getNames().getKind().equals(k)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no CRD of kind " + k))));
    }

    public CustomResourceDefinition crd() {
        return crd;
    }

    /** The version's OpenAPI v3 schema, as JSON. */
    public JsonNode schema() {
        return schema;
    }

    /** @return every reason the API server would refuse {@code document}; empty when it would store it */
    public List<String> violations(JsonNode document) {
        JsonNode stored = admit(document);
        List<String> violations = new ArrayList<>();
        for (ValidationMessage m : openApi.validate(stored)) {
            violations.add(m.getMessage());
        }
        celViolations(schema, stored, "self", violations);
        return violations;
    }

    /** Violations of the OpenAPI schema alone, without the CEL rules (which a 1.20 API server ignores). */
    public List<String> schemaViolations(JsonNode document) {
        List<String> violations = new ArrayList<>();
        for (ValidationMessage m : openApi.validate(admit(document))) {
            violations.add(m.getMessage());
        }
        return violations;
    }

    /** The document as the API server would store it: pruned and defaulted (not validated). */
    public JsonNode admit(JsonNode document) {
        JsonNode copy = document.deepCopy();
        prune(schema, copy, true);
        applyDefaults(schema, copy);
        return copy;
    }

    private static void prune(JsonNode schema, JsonNode node, boolean root) {
        if (node instanceof ObjectNode object) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (properties != null && properties.has(field.getKey())) {
                    prune(properties.get(field.getKey()), field.getValue(), false);
                } else if (additional != null && additional.isObject()) {
                    prune(additional, field.getValue(), false);
                } else if (!preserve && !(root && ROOT_FIELDS_KEPT.contains(field.getKey()))) {
                    it.remove();
                }
            }
        } else if (node instanceof ArrayNode array && schema.has("items")) {
            array.forEach(item -> prune(schema.get("items"), item, false));
        }
    }

    private static void applyDefaults(JsonNode schema, JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode properties = schema.path("properties");
            properties.fields().forEachRemaining(p -> {
                if (!object.has(p.getKey()) && p.getValue().has("default")) {
                    object.set(p.getKey(), p.getValue().get("default").deepCopy());
                }
            });
            object.fields().forEachRemaining(f -> {
                JsonNode child = properties.has(f.getKey()) ? properties.get(f.getKey())
                        : schema.path("additionalProperties");
                applyDefaults(child, f.getValue());
            });
        } else if (node instanceof ArrayNode array) {
            array.forEach(item -> applyDefaults(schema.path("items"), item));
        }
    }

    private static void celViolations(JsonNode schema, JsonNode node, String path, List<String> violations) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            if (!Boolean.TRUE.equals(evaluate(rule.get("rule").asText(), node))) {
                violations.add(path + ": " + rule.path("message").asText(rule.get("rule").asText()));
            }
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                JsonNode child = schema.path("properties").has(f.getKey()) ? schema.path("properties").get(f.getKey())
                        : schema.path("additionalProperties");
                celViolations(child, f.getValue(), path + "." + f.getKey(), violations);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                celViolations(schema.path("items"), node.get(i), path + "[" + i + "]", violations);
            }
        }
    }

    /** Evaluates one CEL rule with {@code self} bound to {@code node}, as Kubernetes does. */
    public static Object evaluate(String rule, JsonNode node) {
        try {
            return compile(rule).execute(Object.class, Map.of("self", toCel(node)));
        } catch (Exception e) {
            throw new IllegalStateException("CEL rule '" + rule + "' failed on " + node + ": " + e.getMessage(), e);
        }
    }

    /** Compiles a rule, as the API server does when the CRD is created. */
    public static Script compile(String rule) throws Exception {
        return CEL.buildScript(rule).withDeclarations(Decls.newVar("self", Decls.Dyn)).build();
    }

    private static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.longValue(); // CEL's int is 64 bits
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    /** The validation rules of the CRD, wherever they stand in its schema. */
    public List<ValidationRule> rules() {
        List<ValidationRule> rules = new ArrayList<>();
        collectRules(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), rules);
        return rules;
    }

    private static void collectRules(io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps props,
            List<ValidationRule> rules) {
        if (props == null) {
            return;
        }
        if (props.getXKubernetesValidations() != null) {
            rules.addAll(props.getXKubernetesValidations());
        }
        props.getProperties().values().forEach(p -> collectRules(p, rules));
        if (props.getItems() != null) {
            collectRules(props.getItems().getSchema(), rules);
        }
        if (props.getAdditionalProperties() != null) {
            collectRules(props.getAdditionalProperties().getSchema(), rules);
        }
    }
}
