package dev.surge.core.resource;

import dev.surge.core.delivery.DeadLetterSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The references between resources: which resources a Trigger names ({@link #of}, the one list of them that
 * surge.yaml's reader and a cluster's selection both check), and the check of a file: names are unique per kind and
 * namespace, and every resource a Trigger names exists in its namespace (its broker, its target function, its
 * dead-letter function). Each problem is reported at the document that declares the offending resource.
 */
public final class References {
    private References() {
    }

    /**
     * One resource a Trigger names.
     *
     * @param field  the Trigger's field that names it, e.g. {@code spec.delivery.deadLetterSink.function}
     * @param target the resource named, in the Trigger's namespace
     */
    public record Reference(String field, ResourceId target) {
    }

    /** What {@code trigger} names, in this order: its broker, its target function, its dead-letter function. */
    public static List<Reference> of(Trigger trigger) {
        String namespace = trigger.namespace();
        List<Reference> references = new ArrayList<>();
        if (trigger.broker() != null) {
            references.add(new Reference("spec.broker", new ResourceId("Broker", namespace, trigger.broker())));
        }
        if (trigger.function() != null) {
            references.add(new Reference("spec.function", new ResourceId("Function", namespace, trigger.function())));
        }
        if (trigger.delivery().deadLetterSink() instanceof DeadLetterSink.Function f) {
            references.add(new Reference("spec.delivery.deadLetterSink.function",
                    new ResourceId("Function", namespace, f.name())));
        }
        return references;
    }

    /** @param declared every resource read, in document order */
    static void check(List<Declared<?>> declared) {
        Set<ResourceId> seen = new HashSet<>();
        for (Declared<?> d : declared) {
            Resource r = d.resource();
            if (!seen.add(r.id())) {
                d.at().problem("metadata.name", "a " + r.kind() + " named '" + r.name()
                        + "' is already declared in namespace '" + r.namespace() + "'");
            }
        }
        for (Declared<?> d : declared) {
            if (d.resource() instanceof Trigger t) {
                for (Reference ref : of(t)) {
                    if (!seen.contains(ref.target())) {
                        d.at().problem(ref.field(), "no " + ref.target().kind() + " named '" + ref.target().name()
                                + "' in namespace '" + ref.target().namespace() + "'");
                    }
                }
            }
        }
    }
}
