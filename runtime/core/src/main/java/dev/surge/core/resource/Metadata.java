package dev.surge.core.resource;

/** Name and namespace of a resource, as in Kubernetes' ObjectMeta. */
public record Metadata(String name, String namespace) {
    public static final String DEFAULT_NAMESPACE = "default";
}
