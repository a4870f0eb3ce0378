package dev.surge.kubernetes.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Restricts {@code metadata.name} in a CRD's root schema to a DNS label, as surge.yaml's reader does:
 * Kubernetes allows DNS subdomain names (dots, 253 characters), but a Surge name becomes part of Kafka topic,
 * consumer group and Service names. A structural schema may restrict {@code metadata.name}, so an API server
 * refuses other names even without CEL. With input {@link #DNS_1035} (a Function, whose name is also its Service's)
 * the name must start with a letter too. Used by fabric8's CRD generator at build time only; a JSON merge patch
 * cannot do this, as it would replace the root's {@code properties} instead of adding to them.
 */
public final class DnsLabelNames implements SchemaCustomizer.Customizer {
    /** The core's pattern for names (its {@code DocumentFields.dnsLabel}). */
    public static final String PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** The core's pattern for a Function's name ({@code DocumentFields.dns1035Label}): a Service's name. */
    public static final String PATTERN_1035 = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    /** The customizer's input for names that must be DNS-1035 labels. */
    public static final String DNS_1035 = "DNS-1035";
    public static final long MAX_LENGTH = 63;

    @Override
    public JSONSchemaProps apply(JSONSchemaProps root, String input, KubernetesSerialization serialization) {
        JSONSchemaProps name = new JSONSchemaPropsBuilder().withType("string").withMaxLength(MAX_LENGTH)
                .withPattern(DNS_1035.equals(input) ? PATTERN_1035 : PATTERN).build();
        root.getProperties().put("metadata", new JSONSchemaPropsBuilder().withType("object")
                .addToProperties("name", name).build());
        return root;
    }
}
