package dev.surge.operator.status;

import dev.surge.core.resource.Broker;
import dev.surge.core.resource.Function;
import dev.surge.core.resource.Resource;
import dev.surge.core.resource.Trigger;
import dev.surge.kubernetes.api.ResourceSelection;
import java.util.Objects;

/**
 * Validation of Surge's custom resources before anything is applied, by the same rules the runtime uses to decide
 * what runs ({@link ResourceSelection}): the core's readers (those of {@code surge validate}), which also catch what
 * a 1.20 API server lets through because it ignores the CRDs' CEL rules (e.g. maxReplicas below minReplicas) and
 * what a Deployment or Service would be refused for (a Function's name that does not start with a letter, an
 * environment variable's name, a quantity); what only holds on Kubernetes (a Function needs an image); and for a
 * Trigger, that each resource it names exists and is valid. Pure.
 */
public final class SpecCheck {
    public static final String INVALID_SPEC = ResourceSelection.INVALID_SPEC;

    private SpecCheck() {
    }

    /** A resource the core read, or why it is not usable. */
    public record Checked<R extends Resource>(R resource, Readiness problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    public static Checked<Function> function(dev.surge.kubernetes.api.Function function) {
        return checked(ResourceSelection.read(function), Function.class);
    }

    public static Checked<Broker> broker(dev.surge.kubernetes.api.Broker broker) {
        return checked(ResourceSelection.read(broker), Broker.class);
    }

    /**
     * @param named finds the Broker and Functions the Trigger names (in its namespace), null for one that is not
     *              there
     */
    public static Checked<Trigger> trigger(dev.surge.kubernetes.api.Trigger trigger, ResourceSelection.Lookup named) {
        return checked(ResourceSelection.trigger(trigger, named), Trigger.class);
    }

    private static <R extends Resource> Checked<R> checked(ResourceSelection.Verdict verdict, Class<R> kind) {
        if (!verdict.runs()) {
            return new Checked<>(null, Readiness.notReady(verdict.rejected().reason(), verdict.rejected().message()));
        }
        return new Checked<>(kind.cast(Objects.requireNonNull(verdict.resource())), null);
    }
}
