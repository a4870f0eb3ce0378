package dev.surge.core.resource;

import java.util.Objects;

/** Name and namespace of a resource, as in Kubernetes' ObjectMeta. */
public record Metadata(String name, String namespace) {
    public static final String DEFAULT_NAMESPACE = "default";

    public Metadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
    }
}
