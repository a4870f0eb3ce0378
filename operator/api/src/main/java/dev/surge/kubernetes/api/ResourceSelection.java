package dev.surge.kubernetes.api;

import dev.surge.core.resource.Broker;
import dev.surge.core.resource.Function;
import dev.surge.core.resource.Metadata;
import dev.surge.core.resource.Problem;
import dev.surge.core.resource.References;
import dev.surge.core.resource.Resource;
import dev.surge.core.resource.ResourceId;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which of a cluster's Surge resources can run, and why the others cannot: the one set of rules that the runtime
 * (which runs them) and the operator (which says so in each resource's {@code Ready} condition) both apply, so that
 * a resource the operator reports Ready is one the runtime runs, and the other way round. Pure.
 *
 * <p>Unlike a file, which is used or refused as a whole, in a cluster each resource stands alone:
 * <ul>
 * <li>its own fields, as {@code surge validate} reads them ({@link CoreResources});
 * <li>a Function needs an image ({@code spec.path} is local mode's);
 * <li>a Trigger runs only when every resource it names ({@link References#of}: its Broker, its Function, its
 * dead-letter Function) is in its namespace and can run itself.
 * </ul>
 */
public final class ResourceSelection {
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String BROKER_NOT_FOUND = "BrokerNotFound";
    public static final String BROKER_INVALID = "BrokerInvalid";
    public static final String FUNCTION_NOT_FOUND = "FunctionNotFound";
    public static final String FUNCTION_INVALID = "FunctionInvalid";

    /** Local mode's {@code spec.path} means nothing here; the readers only need some folder to resolve it. */
    private static final CoreResources READER = new CoreResources(Path.of("/"));

    /**
     * A custom resource that does not run, and why.
     *
     * @param reason a CamelCase reason for a condition: {@link #INVALID_SPEC} for its own fields, else what is wrong
     *               with the first resource it names that is missing or cannot run (e.g. {@link #FUNCTION_NOT_FOUND})
     */
    public record Rejected(String kind, String namespace, String name, String reason, List<Problem> problems) {
        public Rejected {
            problems = List.copyOf(problems);
        }

        /** {@code Kind namespace/name}, as a user finds it with kubectl. */
        public String id() {
            return kind + " " + namespace + "/" + name;
        }

        /** One line per problem, naming the field, e.g. {@code Trigger demo/greet: spec.broker: ...}. */
        public List<String> lines() {
            return problems.stream().map(p -> id() + ": " + describe(p)).toList();
        }

        /** Every problem, each naming its field, joined by "; ": what a condition's message says. */
        public String message() {
            return problems.isEmpty() ? "the spec is invalid"
                    : problems.stream().map(ResourceSelection::describe).collect(Collectors.joining("; "));
        }
    }

    /** One resource: the core's resource when it can run, else why not. */
    public record Verdict(HasMetadata source, Resource resource, Rejected rejected) {
        public boolean runs() {
            return rejected == null;
        }
    }

    /** What runs, and what is left out. */
    public record Selection(ResourceSet resources, List<Rejected> rejected) {
        public Selection {
            rejected = List.copyOf(rejected);
        }
    }

    /** Finds the custom resource of a kind ({@code Broker} or {@code Function}), namespace and name. */
    @FunctionalInterface
    public interface Lookup {
        /** @return the resource as the cluster holds it, or null when there is none */
        HasMetadata find(ResourceId id);
    }

    private ResourceSelection() {
    }

    /** One resource on its own: its fields and what Kubernetes needs of it; for a Trigger not what it names. */
    public static Verdict read(HasMetadata resource) {
        CoreResources.Read read = READER.read(resource);
        if (!read.valid()) {
            return rejected(resource, INVALID_SPEC, read.problems());
        }
        if (read.resource() instanceof Function f && f.image() == null) {
            return rejected(resource, INVALID_SPEC, List.of(problem(resource, "spec.image", "a Function on Kubernetes"
                    + " needs a container image (spec.path is for local mode only); set spec.image")));
        }
        return new Verdict(resource, read.resource(), null);
    }

    /** A Trigger, and whether what it names is there and can run, found with {@code lookup}. */
    public static Verdict trigger(HasMetadata trigger, Lookup lookup) {
        Verdict own = read(trigger);
        if (!own.runs() || !(own.resource() instanceof Trigger t)) {
            return own;
        }
        return withReferences(own, t, id -> {
            HasMetadata found = lookup.find(id);
            return found == null ? null : read(found);
        });
    }

    /** Reads {@code resources} (typed or generic custom resources, in any order) and keeps those that can run. */
    public static Selection select(List<? extends HasMetadata> resources) {
        List<Verdict> verdicts = new ArrayList<>();
        Map<ResourceId, Verdict> byId = new HashMap<>();
        for (HasMetadata r : resources) {
            Verdict v = read(r);
            verdicts.add(v);
            byId.put(id(r), v);
        }
        List<Rejected> rejected = new ArrayList<>();
        List<Broker> brokers = new ArrayList<>();
        List<Function> functions = new ArrayList<>();
        List<Trigger> triggers = new ArrayList<>();
        for (Verdict v : verdicts) {
            if (v.runs() && v.resource() instanceof Trigger t) {
                v = withReferences(v, t, byId::get); // Triggers name no Triggers: one pass settles it
            }
            if (!v.runs()) {
                rejected.add(v.rejected());
            } else if (v.resource() instanceof Broker b) {
                brokers.add(b);
            } else if (v.resource() instanceof Function f) {
                functions.add(f);
            } else if (v.resource() instanceof Trigger t) {
                triggers.add(t);
            }
        }
        return new Selection(new ResourceSet(brokers, functions, triggers), rejected);
    }

    /**
     * @param targets the verdict of each resource named, or null when there is none
     * @return {@code trigger}, or it rejected for the first resource it names that is missing or cannot run
     */
    private static Verdict withReferences(Verdict trigger, Trigger t,
            java.util.function.Function<ResourceId, Verdict> targets) {
        String reason = null;
        List<Problem> problems = new ArrayList<>();
        for (References.Reference ref : References.of(t)) {
            ResourceId target = ref.target();
            Verdict found = targets.apply(target);
            String problem;
            String why;
            if (found == null) {
                why = target.kind() + "NotFound";
                problem = "there is no " + target.kind() + " '" + target.name() + "' in namespace "
                        + target.namespace() + "; create it, or name an existing " + target.kind();
            } else if (!found.runs()) {
                why = target.kind() + "Invalid";
                problem = target.kind() + " '" + target.name() + "' in namespace " + target.namespace()
                        + " is invalid (" + found.rejected().message() + "); fix it, or name another "
                        + target.kind();
            } else {
                continue;
            }
            reason = reason == null ? why : reason;
            problems.add(problem(trigger.source(), ref.field(), problem));
        }
        return problems.isEmpty() ? trigger : rejected(trigger.source(), reason, problems);
    }

    private static Verdict rejected(HasMetadata source, String reason, List<Problem> problems) {
        return new Verdict(source, null, new Rejected(source.getKind(), namespace(source),
                source.getMetadata().getName(), reason, problems));
    }

    private static Problem problem(HasMetadata source, String field, String message) {
        return new Problem(CoreResources.SOURCE, 1, source.getKind() + "/" + source.getMetadata().getName(), field,
                message);
    }

    private static ResourceId id(HasMetadata resource) {
        return new ResourceId(resource.getKind(), namespace(resource),
                Objects.requireNonNullElse(resource.getMetadata().getName(), ""));
    }

    private static String namespace(HasMetadata resource) {
        return Objects.requireNonNullElse(resource.getMetadata().getNamespace(), Metadata.DEFAULT_NAMESPACE);
    }

    /** e.g. {@code spec.scaling.maxReplicas: must not be below minReplicas (3)}. */
    private static String describe(Problem p) {
        return p.field() == null ? p.message() : p.field() + ": " + p.message();
    }
}
