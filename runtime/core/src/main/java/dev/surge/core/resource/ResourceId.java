package dev.surge.core.resource;

import java.util.Objects;

/** Identity of a resource: two resources with equal ids are two versions of the same resource. */
public record ResourceId(String kind, String namespace, String name) {
    public ResourceId {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return kind + "/" + namespace + "/" + name;
    }
}
