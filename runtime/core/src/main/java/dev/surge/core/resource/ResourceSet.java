package dev.surge.core.resource;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Brokers, Functions and Triggers of one configuration, already validated and cross-checked.
 *
 * <p>A value: two sets are equal when they hold equal resources, whatever the order in which they were declared
 * (the lists keep that order, for display). No two resources of a set share an {@link Resource#id() id}.
 */
public record ResourceSet(List<Broker> brokers, List<Function> functions, List<Trigger> triggers) {
    public static final ResourceSet EMPTY = new ResourceSet(List.of(), List.of(), List.of());

    /** @throws IllegalArgumentException when two resources share kind, namespace and name */
    public ResourceSet {
        brokers = List.copyOf(brokers);
        functions = List.copyOf(functions);
        triggers = List.copyOf(triggers);
        Set<ResourceId> ids = new HashSet<>();
        Stream.of(brokers, functions, triggers).flatMap(List::stream).forEach(r -> {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException(r.id() + " is declared twice");
            }
        });
    }

    public Optional<Broker> broker(String namespace, String name) {
        return find(brokers, namespace, name);
    }

    public Optional<Function> function(String namespace, String name) {
        return find(functions, namespace, name);
    }

    public Optional<Trigger> trigger(String namespace, String name) {
        return find(triggers, namespace, name);
    }

    public List<Trigger> triggersOf(Broker broker) {
        return triggers.stream()
                .filter(t -> t.namespace().equals(broker.namespace()) && broker.name().equals(t.broker()))
                .toList();
    }

    /** Triggers whose target is the function (not those that only dead-letter to it). */
    public List<Trigger> triggersTargeting(Function function) {
        return triggers.stream()
                .filter(t -> t.namespace().equals(function.namespace()) && function.name().equals(t.function()))
                .toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResourceSet s
                && Set.copyOf(brokers).equals(Set.copyOf(s.brokers))
                && Set.copyOf(functions).equals(Set.copyOf(s.functions))
                && Set.copyOf(triggers).equals(Set.copyOf(s.triggers));
    }

    @Override
    public int hashCode() {
        return Set.copyOf(brokers).hashCode() * 31 * 31 + Set.copyOf(functions).hashCode() * 31
                + Set.copyOf(triggers).hashCode();
    }

    private static <R extends Resource> Optional<R> find(List<R> resources, String namespace, String name) {
        return resources.stream().filter(r -> r.namespace().equals(namespace) && r.name().equals(name)).findFirst();
    }
}
