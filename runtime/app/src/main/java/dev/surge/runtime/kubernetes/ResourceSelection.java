package dev.surge.runtime.kubernetes;

import dev.surge.core.resource.Broker;
import dev.surge.core.resource.Function;
import dev.surge.core.resource.Problem;
import dev.surge.core.resource.Resource;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import dev.surge.kubernetes.api.CoreResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of the cluster's Surge resources run. Unlike a file, which is used or refused as a whole, in a cluster
 * each resource stands alone: one with problems (as {@code surge validate} finds them) is left out and the others
 * run. A Trigger whose Broker or Function (or dead-letter Function) is missing or left out is left out too.
 */
public final class ResourceSelection {
    /** Relative {@code spec.path}s are local mode's; on Kubernetes a Function runs from its image. */
    private static final CoreResources READER = new CoreResources(Path.of("."));

    /** A custom resource that does not run, and why. */
    public record Rejected(String kind, String namespace, String name, List<Problem> problems) {
        public Rejected {
            problems = List.copyOf(problems);
        }

        /** {@code Kind namespace/name}, as a user finds it with kubectl. */
        public String id() {
            return kind + " " + namespace + "/" + name;
        }

        /** One line per problem, naming the field, e.g. {@code Trigger demo/greet: spec.broker: ...}. */
        public List<String> lines() {
            return problems.stream().map(p -> id() + ": " + (p.field() == null ? "" : p.field() + ": ")
                    + p.message()).toList();
        }
    }

    /** What runs, and what is left out. */
    public record Selection(ResourceSet resources, List<Rejected> rejected) {
        public Selection {
            rejected = List.copyOf(rejected);
        }
    }

    private ResourceSelection() {
    }

    /** Reads {@code resources} (typed or generic custom resources, in any order) and keeps those that can run. */
    public static Selection select(List<? extends HasMetadata> resources) {
        Map<HasMetadata, List<Problem>> rejected = new LinkedHashMap<>();
        // First pass: each resource's own fields, and references among all of them.
        List<HasMetadata> kept = new ArrayList<>();
        List<CoreResources.Read> first = READER.readAll(resources);
        for (CoreResources.Read r : first) {
            if (r.valid()) {
                kept.add(r.source());
            } else {
                rejected.put(r.source(), r.problems());
            }
        }
        // Second pass: references among those kept only, so a Trigger naming a Broker or Function that was just
        // left out is left out too. Only Triggers reference others, so a second pass settles it.
        List<Resource> running = new ArrayList<>();
        for (CoreResources.Read r : READER.readAll(kept)) {
            if (r.valid()) {
                running.add(r.resource());
            } else {
                rejected.put(r.source(), r.problems());
            }
        }
        List<Rejected> out = new ArrayList<>();
        rejected.forEach((source, problems) -> out.add(new Rejected(source.getKind(),
                source.getMetadata().getNamespace(), source.getMetadata().getName(), problems)));
        return new Selection(new ResourceSet(
                running.stream().filter(Broker.class::isInstance).map(Broker.class::cast).toList(),
                running.stream().filter(Function.class::isInstance).map(Function.class::cast).toList(),
                running.stream().filter(Trigger.class::isInstance).map(Trigger.class::cast).toList()), out);
    }
}
