package dev.surge.operator.status;

import dev.surge.core.resource.Broker;
import dev.surge.core.resource.Function;
import dev.surge.core.resource.Problem;
import dev.surge.core.resource.Resource;
import dev.surge.core.resource.Trigger;
import dev.surge.kubernetes.api.CoreResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Validation of Surge's custom resources before anything is applied: the core's readers (the same as
 * {@code surge validate}, through {@link CoreResources}), which also catch what a 1.20 API server lets through
 * because it ignores the CRDs' CEL rules (e.g. maxReplicas below minReplicas), plus what only holds on
 * Kubernetes (a Function needs an image) and references between resources. Pure.
 */
public final class SpecCheck {
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String BROKER_NOT_FOUND = "BrokerNotFound";
    public static final String FUNCTION_NOT_FOUND = "FunctionNotFound";

    /** Local mode's {@code spec.path} means nothing here; the readers only need some folder to resolve it. */
    private static final CoreResources READER = new CoreResources(Path.of("/"));

    private SpecCheck() {
    }

    /** A resource the core read, or why it is not usable. */
    public record Checked<R extends Resource>(R resource, Readiness problem) {
        public boolean valid() {
            return problem == null;
        }

        static <R extends Resource> Checked<R> invalid(String reason, String message) {
            return new Checked<>(null, Readiness.notReady(reason, message));
        }
    }

    public static Checked<Function> function(dev.surge.kubernetes.api.Function function) {
        Checked<Function> read = read(function, Function.class);
        if (read.valid() && read.resource().image() == null) {
            return Checked.invalid(INVALID_SPEC, "spec.image: a Function on Kubernetes needs a container image"
                    + " (spec.path is for local mode only); set spec.image");
        }
        return read;
    }

    public static Checked<Broker> broker(dev.surge.kubernetes.api.Broker broker) {
        return read(broker, Broker.class);
    }

    /**
     * @param broker   the Broker the Trigger names, or null when there is none in its namespace
     * @param function the Function the Trigger names, or null when there is none (or it targets a URI)
     */
    public static Checked<Trigger> trigger(dev.surge.kubernetes.api.Trigger trigger,
            dev.surge.kubernetes.api.Broker broker, dev.surge.kubernetes.api.Function function) {
        Checked<Trigger> read = read(trigger, Trigger.class);
        if (!read.valid()) {
            return read;
        }
        Trigger t = read.resource();
        if (broker == null) {
            return Checked.invalid(BROKER_NOT_FOUND, "spec.broker: there is no Broker '" + t.broker()
                    + "' in namespace " + t.namespace() + "; create it, or name an existing Broker");
        }
        if (t.function() != null && function == null) {
            return Checked.invalid(FUNCTION_NOT_FOUND, "spec.function: there is no Function '" + t.function()
                    + "' in namespace " + t.namespace() + "; create it, or name an existing Function");
        }
        return read;
    }

    private static <R extends Resource> Checked<R> read(HasMetadata custom, Class<R> kind) {
        CoreResources.Read read = READER.read(custom);
        if (!read.valid()) {
            return Checked.invalid(INVALID_SPEC, describe(read.problems()));
        }
        return new Checked<>(kind.cast(Objects.requireNonNull(read.resource())), null);
    }

    /** e.g. {@code spec.scaling.maxReplicas: must not be below minReplicas (3)}; several joined by "; ". */
    static String describe(List<Problem> problems) {
        if (problems.isEmpty()) {
            return "the spec is invalid";
        }
        return problems.stream()
                .map(p -> p.field() == null ? p.message() : p.field() + ": " + p.message())
                .collect(Collectors.joining("; "));
    }
}
