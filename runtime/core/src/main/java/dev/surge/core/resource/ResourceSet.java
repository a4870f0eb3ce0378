package dev.surge.core.resource;

import java.util.List;
import java.util.Optional;

/** The Brokers, Functions and Triggers of one configuration, already validated and cross-checked. */
public record ResourceSet(List<Broker> brokers, List<Function> functions, List<Trigger> triggers) {

    public ResourceSet {
        brokers = List.copyOf(brokers);
        functions = List.copyOf(functions);
        triggers = List.copyOf(triggers);
    }

    public Optional<Broker> broker(String namespace, String name) {
        return brokers.stream().filter(b -> b.namespace().equals(namespace) && b.name().equals(name)).findFirst();
    }

    public Optional<Function> function(String namespace, String name) {
        return functions.stream().filter(f -> f.namespace().equals(namespace) && f.name().equals(name)).findFirst();
    }

    public List<Trigger> triggersOf(Broker broker) {
        return triggers.stream()
                .filter(t -> t.namespace().equals(broker.namespace()) && t.broker().equals(broker.name()))
                .toList();
    }
}
