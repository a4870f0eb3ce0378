package dev.surge.core.resource;

import dev.surge.core.delivery.DeadLetterSink;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what no single document can: names are unique per kind and namespace, and every resource a Trigger
 * names exists in its namespace (its broker, its target function, its dead-letter function). Each problem is
 * reported at the document that declares the offending resource.
 */
final class References {
    private References() {
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
                checkTrigger(t, d.at(), seen);
            }
        }
    }

    private static void checkTrigger(Trigger t, DocumentFields at, Set<ResourceId> ids) {
        String namespace = t.namespace();
        if (t.broker() != null && !ids.contains(new ResourceId("Broker", namespace, t.broker()))) {
            at.problem("spec.broker", "no Broker named '" + t.broker() + "' in namespace '" + namespace + "'");
        }
        if (t.function() != null && !ids.contains(new ResourceId("Function", namespace, t.function()))) {
            at.problem("spec.function", "no Function named '" + t.function() + "' in namespace '" + namespace + "'");
        }
        if (t.delivery().deadLetterSink() instanceof DeadLetterSink.Function f
                && !ids.contains(new ResourceId("Function", namespace, f.name()))) {
            at.problem("spec.delivery.deadLetterSink.function", "no Function named '" + f.name()
                    + "' in namespace '" + namespace + "'");
        }
    }
}
