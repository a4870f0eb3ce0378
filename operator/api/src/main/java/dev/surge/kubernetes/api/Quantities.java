package dev.surge.kubernetes.api;

import dev.surge.core.resource.ResourceQuantity;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Gives the quantities of a Function's {@code spec.resources} (requests and limits) the core's pattern for a
 * quantity that is not negative ({@link ResourceQuantity#NON_NEGATIVE}), so the API server refuses {@code cpu: lots}
 * when the Function is written rather than the operator's Deployment later; kubebuilder's CRDs carry such a pattern
 * for the same reason. The pattern applies to strings only; an integer is always a quantity (a negative one the
 * operator reports). fabric8's model of {@code ResourceRequirements} is not Surge's to annotate, hence a customizer
 * of the spec. Used by the CRD generator at build time only.
 */
public final class Quantities implements SchemaCustomizer.Customizer {
    @Override
    public JSONSchemaProps apply(JSONSchemaProps spec, String input, KubernetesSerialization serialization) {
        JSONSchemaProps resources = spec.getProperties().get("resources");
        for (String key : new String[] { "requests", "limits" }) {
            JSONSchemaProps quantities = resources.getProperties().get(key);
            quantities.getAdditionalProperties().getSchema().setPattern(ResourceQuantity.NON_NEGATIVE);
        }
        return spec;
    }
}
