package dev.surge.operator.function;

import dev.surge.core.scaling.ScalingDecision;
import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.FunctionStatus;
import dev.surge.operator.status.Conditions;
import dev.surge.operator.status.EventRecorder;
import dev.surge.operator.status.Readiness;
import dev.surge.operator.status.SpecCheck;
import dev.surge.operator.status.StatusValues;
import dev.surge.operator.workload.FunctionWorkload;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Function → Deployment + Service. Observe (the Function, its Deployment and Service from the informers) →
 * validate ({@link SpecCheck}: nothing is written for an invalid spec) → apply ({@link WorkloadApply}; replicas
 * from {@link ReplicaDecision}) → patch status (Ready, replicas, readyReplicas, observedGeneration) and record
 * Events for changes of readiness and for each scale.
 *
 * <p>Registered not generation-aware: a change of the activation annotation (metadata only) must reconcile at once.
 * Status patches therefore reconcile once more; that reconcile finds nothing to change and writes nothing.
 */
public final class FunctionReconciler implements Reconciler<Function> {
    public static final String NAME = "function";
    public static final String SCALED = "Scaled";

    private final WorkloadApply workloads;
    private final EventRecorder events;
    private final Clock clock;

    public FunctionReconciler(WorkloadApply workloads, EventRecorder events, Clock clock) {
        this.workloads = workloads;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, Function>> prepareEventSources(EventSourceContext<Function> context) {
        // Owned objects only (label selector): a user's edit or deletion of them reconciles their Function.
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, Function.class)
                        .withLabelSelector(FunctionWorkload.MANAGED_SELECTOR).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, Function.class)
                        .withLabelSelector(FunctionWorkload.MANAGED_SELECTOR).build(), context));
    }

    @Override
    public UpdateControl<Function> reconcile(Function function, Context<Function> context) {
        Instant now = clock.instant();
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        SpecCheck.Checked<dev.surge.core.resource.Function> checked = SpecCheck.function(function);
        if (!checked.valid()) {
            return status(function, checked.problem(), deployment, null, now);
        }
        dev.surge.core.resource.Function core = checked.resource();
        OwnerReference owner = FunctionWorkload.ownerReference(function);

        workloads.ensure(context.getSecondaryResource(Service.class).orElse(null),
                FunctionWorkload.service(core, owner), context);

        FunctionStatus status = function.getStatus();
        Instant lastScale = Optional.ofNullable(status).map(FunctionStatus::getLastScaleTime).map(Instant::parse)
                .orElse(null);
        Integer current = deployment == null ? null : deployment.getSpec().getReplicas();
        Optional<ScalingDecision> decision = ReplicaDecision.decide(core.scaling(), current,
                ActivationRequest.of(function).orElse(null), lastScale, now);
        var resources = function.getSpec().getResources();
        if (deployment == null) {
            int replicas = decision.map(ScalingDecision::replicas).orElse(core.scaling().minReplicas());
            deployment = workloads.ensure(null, FunctionWorkload.deployment(core, resources, owner, replicas), context);
        } else {
            deployment = workloads.ensure(deployment, FunctionWorkload.deployment(core, resources, owner, null),
                    context);
            if (decision.isPresent()) {
                deployment = workloads.scale(deployment, decision.get().replicas());
            }
        }
        decision.ifPresent(d -> events.normal(function, SCALED,
                "replicas " + d.current() + " → " + d.replicas() + ": " + d.reason()));
        return status(function, readiness(deployment), deployment, decision.orElse(null), now);
    }

    /** Ready when the Function has what it needs: no replicas wanted, or at least one ready. */
    static Readiness readiness(Deployment deployment) {
        int replicas = replicas(deployment);
        int ready = readyReplicas(deployment);
        String name = deployment.getMetadata().getName();
        if (replicas == 0) {
            return Readiness.ready("ScaledToZero", "no replicas run; the function starts on the first event for it");
        }
        if (ready > 0) {
            return Readiness.ready("ReplicasReady", ready + " of " + replicas + " replicas ready");
        }
        return Readiness.notReady("ReplicasNotReady", "0 of " + replicas + " replicas ready; see the pods of"
                + " Deployment " + name + " (kubectl describe deployment " + name + ")");
    }

    private UpdateControl<Function> status(Function function, Readiness readiness, Deployment deployment,
            ScalingDecision scaled, Instant now) {
        FunctionStatus before = function.getStatus() == null ? new FunctionStatus() : function.getStatus();
        FunctionStatus next = StatusValues.copy(before, FunctionStatus.class);
        next.setObservedGeneration(function.getMetadata().getGeneration());
        next.setConditions(Conditions.withReady(before.getConditions(), readiness,
                function.getMetadata().getGeneration(), now));
        if (deployment != null) {
            next.setReplicas(replicas(deployment));
            next.setReadyReplicas(readyReplicas(deployment));
        }
        if (scaled != null) {
            next.setLastScaleTime(now.toString());
            next.setLastScaleReason(scaled.reason());
        }
        if (Conditions.changes(before, readiness)) {
            events.readiness(function, readiness);
        }
        if (StatusValues.same(before, next)) {
            return UpdateControl.noUpdate();
        }
        function.setStatus(next);
        return UpdateControl.patchStatus(function);
    }

    private static int replicas(Deployment deployment) {
        Integer replicas = deployment.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    private static int readyReplicas(Deployment deployment) {
        Integer ready = deployment.getStatus() == null ? null : deployment.getStatus().getReadyReplicas();
        return ready == null ? 0 : ready;
    }
}
