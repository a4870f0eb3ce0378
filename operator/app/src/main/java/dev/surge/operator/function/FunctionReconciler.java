package dev.surge.operator.function;

import dev.surge.core.delivery.Ordering;
import dev.surge.core.scaling.ScalingDecision;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.kubernetes.api.Broker;
import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.FunctionStatus;
import dev.surge.kubernetes.api.Trigger;
import dev.surge.operator.OperatorMetrics;
import dev.surge.operator.status.Conditions;
import dev.surge.operator.status.EventRecorder;
import dev.surge.operator.status.Readiness;
import dev.surge.operator.status.SpecCheck;
import dev.surge.operator.status.StatusLag;
import dev.surge.operator.status.StatusValues;
import dev.surge.operator.workload.FunctionWorkload;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Function → Deployment + Service, scaled on the matching backlog. Observe (the Function, its Deployment, Service and
 * Triggers from the informers; the Triggers' matching backlog from Kafka every {@code pollingInterval}) → validate
 * ({@link SpecCheck}: nothing is written for an invalid spec) → apply ({@link WorkloadApply}: the Service, then the
 * Deployment; replicas decided by {@link ReplicaDecision}, the shared {@code Scaler.decide}) → patch status (Ready,
 * replicas, readyReplicas, lag, lastScaleTime/Reason, observedGeneration) and record an Event for each scale and each
 * change of readiness. A write the API server refuses ends the reconcile: {@link #updateErrorStatus} reports it.
 *
 * <p>Polling is JOSDK's own: each reconcile of a valid Function asks to be run again when its next poll is due, and
 * JOSDK never runs two reconciles of one Function at once, so decisions for a Function never race (the role of
 * local mode's single scaler thread).
 *
 * <p>Registered not generation-aware: a change of the activation annotation (metadata only) must reconcile at once.
 * Status patches therefore reconcile once more; that reconcile finds nothing to change and writes nothing.
 *
 * <p>The scaler owns {@code spec.replicas}, as an HPA or KEDA does: a user's {@code kubectl scale} is taken as the
 * current replicas at the next decision, which then moves them to what the backlog asks (a scale-down after the
 * stabilization window, or to zero after the cooldown; a scale-up at once).
 */
public final class FunctionReconciler implements Reconciler<Function> {
    public static final String NAME = "function";
    public static final String SCALED = "Scaled";
    private static final String TRIGGERS = "triggers";
    private static final String BROKERS = "brokers";
    /** Shortest wait before a poll: a reconcile never asks to be run again at once. */
    private static final Duration MIN_REQUEUE = Duration.ofMillis(50);

    private final WorkloadApply workloads;
    private final MatchingBacklogs backlogs;
    private final EventRecorder events;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<ResourceID, ReplicaDecision.Memory> memories = new ConcurrentHashMap<>();
    /**
     * Per Function, the versions (Function generation, Deployment and Service resourceVersion) last found or made as
     * the operator wants them: a reconcile that sees the same versions (a poll, a status patch) skips comparing them
     * again. JOSDK's server-side-apply matcher costs tens of milliseconds on a busy machine, once a second per
     * Function otherwise.
     */
    private final Map<ResourceID, String> applied = new ConcurrentHashMap<>();
    /** When this operator last wrote each Function's {@code status.lag} ({@link StatusLag}). */
    private final Map<ResourceID, Instant> lagWritten = new ConcurrentHashMap<>();

    public FunctionReconciler(WorkloadApply workloads, MatchingBacklogs backlogs, EventRecorder events,
            MeterRegistry registry, Clock clock) {
        this.workloads = workloads;
        this.backlogs = backlogs;
        this.events = events;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, Function>> prepareEventSources(EventSourceContext<Function> context) {
        return List.of(
                // Owned objects only (label selector): a user's edit or deletion of them reconciles their Function.
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, Function.class)
                        .withLabelSelector(FunctionWorkload.MANAGED_SELECTOR).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, Function.class)
                        .withLabelSelector(FunctionWorkload.MANAGED_SELECTOR).build(), context),
                // The Triggers that target a Function are where its backlog is read; a new one polls at once.
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Trigger.class, Function.class)
                        .withName(TRIGGERS)
                        .withSecondaryToPrimaryMapper(t -> t.getSpec() == null || t.getSpec().getFunction() == null
                                ? Set.of()
                                : Set.of(new ResourceID(t.getSpec().getFunction(), t.getMetadata().getNamespace())))
                        .build(), context),
                // Brokers, for the partitions that bound the replicas of ordered triggers; read at the next poll.
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Broker.class, Function.class)
                        .withName(BROKERS)
                        .withSecondaryToPrimaryMapper(b -> Set.of())
                        .build(), context));
    }

    @Override
    public UpdateControl<Function> reconcile(Function function, Context<Function> context) {
        Instant now = clock.instant();
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        SpecCheck.Checked<dev.surge.core.resource.Function> checked = SpecCheck.function(function);
        if (!checked.valid()) {
            return status(function, checked.problem(), deployment, null, null, null, now);
        }
        dev.surge.core.resource.Function core = checked.resource();
        ScalingPolicy policy = core.scaling();
        OwnerReference owner = FunctionWorkload.ownerReference(function);

        ResourceID id = ResourceID.fromResource(function);
        Integer replicas = deployment == null ? null : replicas(deployment);
        Optional<FunctionStatus> recorded = Optional.ofNullable(function.getStatus());
        Instant lastScale = recorded.map(FunctionStatus::getLastScaleTime).map(FunctionReconciler::time).orElse(null);
        // none in memory: this operator just became leader (or restarted); the last one's status says where it was
        ReplicaDecision.Memory memory = memories.computeIfAbsent(id, k -> ReplicaDecision.Memory.restore(
                replicas == null ? 0 : replicas, recorded.map(FunctionStatus::getLag).orElse(null),
                recorded.map(FunctionStatus::getLastActiveTime).map(FunctionReconciler::time).orElse(null),
                lastScale, now));
        Instant activation = ActivationRequest.of(function).orElse(null);
        ReplicaDecision.Plan plan = ReplicaDecision.plan(memory, policy, replicas, activation, lastScale, now);

        ScalingDecision decision = null;
        if (plan.decide()) {
            List<dev.surge.core.resource.Trigger> triggers = triggers(function, context);
            Optional<Long> backlog = Optional.empty();
            if (plan.poll()) {
                backlog = Optional.of(backlogs.read(id, triggers));
                forgetDeleted(context);
            }
            ReplicaDecision.Outcome outcome = ReplicaDecision.decide(memory, policy, replicas == null ? 0 : replicas,
                    backlog, partitionLimit(triggers, context), plan.signal(), activation, now);
            memory = outcome.memory();
            memories.put(id, memory);
            decision = outcome.result().decision();
        }

        var resources = function.getSpec().getResources();
        Service service = context.getSecondaryResource(Service.class).orElse(null);
        if (deployment == null) {
            // The Service first: should the API server refuse one of the two, no Deployment runs without its Service
            // (a refused write throws, and updateErrorStatus reports it).
            service = workloads.ensure(service, FunctionWorkload.service(core, owner), context);
            // plan.decide() is always true without a Deployment: created with the decided replicas, so a function
            // at zero never starts a pod it does not need
            deployment = workloads.ensure(null,
                    FunctionWorkload.deployment(core, resources, owner, decision.replicas()), context);
        } else if (decision != null && decision.changes()) {
            // replicas first: an activation waits for this write only, not for comparing the rest (below)
            deployment = workloads.scale(deployment, decision.replicas());
        }
        String observed = applied(function, deployment, service);
        if (!observed.equals(applied.get(id))) {
            service = workloads.ensure(service, FunctionWorkload.service(core, owner), context);
            deployment = workloads.ensure(deployment, FunctionWorkload.deployment(core, resources, owner, null),
                    context);
            applied.put(id, applied(function, deployment, service));
        }
        ScalingDecision scaled = decision != null && decision.changes() ? decision : null;
        if (scaled != null) {
            events.normal(function, SCALED, "replicas " + scaled.current() + " → " + scaled.replicas() + ": "
                    + scaled.reason());
            Counter.builder(OperatorMetrics.SCALES).description("replica changes by the scaler")
                    .tag("namespace", id.getNamespace().orElse("")).tag("function", id.getName())
                    .tag("direction", scaled.replicas() > scaled.current() ? "up" : "down")
                    .register(registry).increment();
        }
        Long lag = memory.polledAt() == null ? null : memory.backlog();
        // written only while idle, i.e. with status.lag 0 (StatusLag always writes a change to or from 0): with
        // work it would change at every poll, and a status.lag above 0 says enough then
        Instant lastActive = lag != null && lag == 0 ? memory.history().lastActive() : null;
        Long written = recorded.map(FunctionStatus::getLag).orElse(null);
        if (lag != null && !lag.equals(written)) {
            if (StatusLag.due(written, lagWritten.get(id), lag, now, policy)) {
                lagWritten.put(id, now);
            } else {
                lag = null; // this change waits (the next polls come back to it)
            }
        }
        return status(function, readiness(deployment), deployment, lag, lastActive, scaled, now)
                .rescheduleAfter(ReplicaDecision.untilNextPoll(memory, policy, clock.instant(), MIN_REQUEUE));
    }

    /**
     * A reconcile that threw. A write the API server refused (or that did not reach it) is {@code Ready=False},
     * reason {@value ApplyFailure#REASON}, with the server's message and a Warning Event; JOSDK then reconciles
     * again with {@link #retry() backoff}, and a later success sets Ready from the Deployment again. Anything else is
     * a bug: left to JOSDK (logged, retried the same way), the status as it was.
     *
     * <p>The message never counts attempts: an unchanged status is not patched again, and a patch would reconcile at
     * once (this controller is not generation-aware) instead of after the backoff.
     */
    @Override
    public ErrorStatusUpdateControl<Function> updateErrorStatus(Function function, Context<Function> context,
            Exception e) {
        Optional<Readiness> failed = ApplyFailure.readiness(e);
        if (failed.isEmpty()) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        FunctionStatus next = nextStatus(function, failed.get(), null, null, null, null, clock.instant());
        if (next == null) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        function.setStatus(next);
        return ErrorStatusUpdateControl.patchStatus(function);
    }

    /**
     * How JOSDK reconciles a Function again after a reconcile threw (e.g. {@value ApplyFailure#REASON}): after 1 s,
     * 1 s, 2 s, 4 s … at most a minute apart, for as long as it fails. Never giving up, as the default retry does
     * after five attempts: its scaling polls ride on its reconciles. Activation requests and spec changes reconcile
     * at once meanwhile.
     */
    public static Retry retry() {
        return new GenericRetry().setInitialInterval(Duration.ofSeconds(1)).setIntervalMultiplier(2)
                .setMaxInterval(Duration.ofMinutes(1).toMillis()).withoutMaxAttempts();
    }

    private static String applied(Function function, Deployment deployment, Service service) {
        return function.getMetadata().getUid() + "/" + function.getMetadata().getGeneration() + "/"
                + deployment.getMetadata().getResourceVersion() + "/"
                + (service == null ? "-" : service.getMetadata().getResourceVersion());
    }

    /** The Triggers that target this Function and that the dispatchers run (as the Trigger controller says). */
    private static List<dev.surge.core.resource.Trigger> triggers(Function function, Context<Function> context) {
        List<dev.surge.core.resource.Trigger> triggers = new ArrayList<>();
        for (Trigger t : context.getSecondaryResources(Trigger.class)) {
            SpecCheck.Checked<dev.surge.core.resource.Trigger> checked = SpecCheck.trigger(t, id -> switch (id.kind()) {
                case "Broker" -> broker(context, id.namespace(), id.name());
                // this Function as reconciled; another one (a dead-letter sink) as cached
                case "Function" -> id.name().equals(function.getMetadata().getName()) ? function
                        : context.getPrimaryCache().get(new ResourceID(id.name(), id.namespace())).orElse(null);
                default -> null;
            });
            if (checked.valid()) {
                triggers.add(checked.resource());
            }
        }
        return triggers;
    }

    /** Replicas beyond the partitions of an ordered trigger would idle (as local mode: the Broker's partitions). */
    private static int partitionLimit(List<dev.surge.core.resource.Trigger> triggers, Context<Function> context) {
        int limit = Integer.MAX_VALUE;
        for (var t : triggers) {
            if (t.delivery().ordering() == Ordering.ORDERED) {
                Broker broker = broker(context, t.namespace(), t.broker());
                var read = broker == null ? null : SpecCheck.broker(broker);
                if (read != null && read.valid()) {
                    limit = Math.min(limit, read.resource().partitions());
                }
            }
        }
        return limit;
    }

    @SuppressWarnings("unchecked")
    private static Broker broker(Context<Function> context, String namespace, String name) {
        if (name == null) {
            return null;
        }
        var informer = (InformerEventSource<Broker, Function>) context.eventSourceRetriever()
                .getEventSourceFor(Broker.class, BROKERS);
        return informer.get(new ResourceID(name, namespace)).orElse(null);
    }

    /** Deleted Functions leave nothing behind in memory (there is no finalizer to tell; the cache does). */
    private void forgetDeleted(Context<Function> context) {
        for (ResourceID id : List.copyOf(memories.keySet())) {
            if (context.getPrimaryCache().get(id).isEmpty()) {
                memories.remove(id);
                applied.remove(id);
                lagWritten.remove(id);
                backlogs.forget(id);
            }
        }
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

    /**
     * @param lag        a new {@code status.lag}, or null to keep the one there
     * @param lastActive a new {@code status.lastActiveTime}, or null to keep the one there
     */
    private UpdateControl<Function> status(Function function, Readiness readiness, Deployment deployment, Long lag,
            Instant lastActive, ScalingDecision scaled, Instant now) {
        FunctionStatus next = nextStatus(function, readiness, deployment, lag, lastActive, scaled, now);
        if (next == null) {
            return UpdateControl.noUpdate();
        }
        function.setStatus(next);
        return UpdateControl.patchStatus(function);
    }

    /**
     * The status with these values, recording an Event when readiness changes; null when it is the status there.
     *
     * @param deployment the Deployment whose replicas to show, or null to keep those there
     */
    private FunctionStatus nextStatus(Function function, Readiness readiness, Deployment deployment, Long lag,
            Instant lastActive, ScalingDecision scaled, Instant now) {
        FunctionStatus before = function.getStatus() == null ? new FunctionStatus() : function.getStatus();
        FunctionStatus next = StatusValues.copy(before, FunctionStatus.class);
        next.setObservedGeneration(function.getMetadata().getGeneration());
        next.setConditions(Conditions.withReady(before.getConditions(), readiness,
                function.getMetadata().getGeneration(), now));
        if (deployment != null) {
            next.setReplicas(replicas(deployment));
            next.setReadyReplicas(readyReplicas(deployment));
        }
        if (lag != null) {
            next.setLag(lag);
        }
        if (lastActive != null) {
            next.setLastActiveTime(lastActive.toString());
        }
        if (scaled != null) {
            next.setLastScaleTime(now.toString());
            next.setLastScaleReason(scaled.reason());
        }
        if (Conditions.changes(before, readiness)) {
            events.readiness(function, readiness);
        }
        return StatusValues.same(before, next) ? null : next;
    }

    /** A time of the status, or null when it is not one (the status is the operator's, but may be edited). */
    private static Instant time(String value) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
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
