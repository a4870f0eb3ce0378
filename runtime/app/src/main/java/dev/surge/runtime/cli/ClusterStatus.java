package dev.surge.runtime.cli;

import dev.surge.kubernetes.api.Broker;
import dev.surge.kubernetes.api.SurgeStatus;
import dev.surge.kubernetes.api.Trigger;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The status of Surge's resources on a cluster, as the operator and the dispatchers write it in the custom
 * resources (Brokers, Triggers, Functions of {@code surge.dev/v1alpha1}), with each trigger's counts (in flight,
 * delivered, dead-lettered, restarts) summed over the dispatcher pods ({@link DispatcherPods}): they are not in
 * the resources.
 */
final class ClusterStatus {
    private ClusterStatus() {
    }

    /**
     * Reads the three kinds in {@code namespace}, or in every namespace for null, and the counts of the dispatcher
     * pods in {@code surgeNamespace} (every namespace for null).
     */
    static StatusReport read(KubernetesClient client, String namespace, String surgeNamespace) {
        List<Broker> brokers = list(client.resources(Broker.class), namespace);
        List<Trigger> triggers = list(client.resources(Trigger.class), namespace);
        List<dev.surge.kubernetes.api.Function> functions = list(client.resources(dev.surge.kubernetes.api.Function.class),
                namespace);
        return of(client.getMasterUrl().toString(), brokers, triggers, functions,
                DispatcherPods.read(client, surgeNamespace));
    }

    private static <T extends HasMetadata> List<T> list(
            MixedOperation<T, ? extends KubernetesResourceList<T>, Resource<T>> op, String namespace) {
        return (namespace == null ? op.inAnyNamespace().list() : op.inNamespace(namespace).list()).getItems();
    }

    /** The report of the resources; pure. */
    static StatusReport of(String source, List<Broker> brokers, List<Trigger> triggers,
            List<dev.surge.kubernetes.api.Function> functions, DispatcherCounts counts) {
        return new StatusReport(source,
                sorted(brokers).stream().map(b -> {
                    Condition ready = ready(b.getStatus());
                    return new StatusReport.BrokerRow(b.getMetadata().getNamespace(), b.getMetadata().getName(),
                            b.getStatus() == null ? null : b.getStatus().getTopic(),
                            b.getStatus() == null ? null : b.getStatus().getAddress(), status(ready), message(ready));
                }).toList(),
                sorted(triggers).stream().map(t -> {
                    Condition ready = ready(t.getStatus());
                    var spec = t.getSpec();
                    String target = spec == null ? null : spec.getFunction() != null ? "function " + spec.getFunction()
                            : spec.getUri();
                    DispatcherCounts.TriggerCounts c = counts.of(t.getMetadata().getNamespace(),
                            t.getMetadata().getName());
                    return new StatusReport.TriggerRow(t.getMetadata().getNamespace(), t.getMetadata().getName(),
                            spec == null ? null : spec.getBroker(), target, state(ready),
                            t.getStatus() == null ? null : t.getStatus().getLag(), c == null ? null : c.inFlight(),
                            c == null ? null : c.delivered(), c == null ? null : c.deadLettered(),
                            c == null ? null : c.restarts(), message(ready));
                }).toList(),
                sorted(functions).stream().map(f -> {
                    Condition ready = ready(f.getStatus());
                    var s = f.getStatus();
                    return new StatusReport.FunctionRow(f.getMetadata().getNamespace(), f.getMetadata().getName(),
                            s == null ? null : s.getReplicas(), s == null ? null : s.getReadyReplicas(),
                            s == null ? null : s.getLag(), null, s == null ? null : s.getLastScaleTime(),
                            s == null ? null : s.getLastScaleReason(), message(ready));
                }).toList(), StatusReport.Counts.of(counts));
    }

    private static <T extends HasMetadata> List<T> sorted(List<T> items) {
        return items.stream().sorted(Comparator.comparing((T r) -> r.getMetadata().getNamespace())
                .thenComparing(r -> r.getMetadata().getName())).toList();
    }

    private static Condition ready(SurgeStatus status) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> SurgeStatus.READY.equals(c.getType())).findFirst()
                .orElse(null);
    }

    private static String status(Condition ready) {
        return ready == null ? null : ready.getStatus();
    }

    /** {@code Ready}, {@code NotReady} or {@code Unknown}, as Kubernetes' Ready condition says; null without one. */
    private static String state(Condition ready) {
        if (ready == null) {
            return null;
        }
        return switch (Objects.toString(ready.getStatus(), "")) {
            case "True" -> "Ready";
            case "False" -> "NotReady";
            default -> "Unknown";
        };
    }

    /** Why it is not ready: the condition's reason and message; null when it is. */
    private static String message(Condition ready) {
        if (ready == null || "True".equals(ready.getStatus())) {
            return null;
        }
        String reason = ready.getReason();
        String message = ready.getMessage();
        if (reason == null || reason.isBlank()) {
            return message;
        }
        return message == null || message.isBlank() ? reason : reason + ": " + message;
    }
}
