package dev.surge.kubernetes.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Makes a filter's schema, and that of its typed {@code not}, hold exactly one dialect ({@code minProperties} and
 * {@code maxProperties} 1), as the core's {@code TriggerFilters} requires. Plain schema keywords rather than a CEL
 * rule: filters sit in lists without a bound, where a rule's estimated cost could exceed the API server's budget,
 * and Kubernetes before 1.25 ignores CEL. A customizer of the filter's class, because fabric8's generator resets
 * these keywords on a property that has no {@code @Size} of its own, and a {@code @Size} on {@code not} is lost
 * for a type used more than once. Used by the CRD generator at build time only.
 */
public final class OneDialectFilters implements SchemaCustomizer.Customizer {
    @Override
    public JSONSchemaProps apply(JSONSchemaProps filter, String input, KubernetesSerialization serialization) {
        exactlyOne(filter);
        JSONSchemaProps not = filter.getProperties().get("not");
        if (not != null && not.getProperties() != null && !not.getProperties().isEmpty()) {
            exactlyOne(not);
        }
        return filter;
    }

    private static void exactlyOne(JSONSchemaProps schema) {
        schema.setMinProperties(1L);
        schema.setMaxProperties(1L);
    }
}
