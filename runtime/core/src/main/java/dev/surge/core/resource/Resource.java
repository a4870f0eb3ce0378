package dev.surge.core.resource;

/**
 * A Broker, Function or Trigger. Resources are values: equal when every field of their spec is equal, so a
 * reconciler can compare what runs with what was read and act on the difference only (see
 * {@link ResourceChanges}). Within a {@link ResourceSet} a resource is identified by {@link #id()}.
 */
public sealed interface Resource permits Broker, Function, Trigger {
    Metadata metadata();

    default String name() {
        return metadata().name();
    }

    default String namespace() {
        return metadata().namespace();
    }

    /** The resource's {@code kind}, as written in YAML: Broker, Function or Trigger. */
    default String kind() {
        return getClass().getSimpleName();
    }

    /** Kind, namespace and name: what stays the same when a resource's spec changes. */
    default ResourceId id() {
        return new ResourceId(kind(), namespace(), name());
    }
}
