package dev.surge.operator.trigger;

import dev.surge.core.KafkaNames;
import dev.surge.kubernetes.api.Broker;
import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.Trigger;
import dev.surge.kubernetes.api.TriggerStatus;
import dev.surge.operator.function.MatchingBacklogs;
import dev.surge.operator.status.Conditions;
import dev.surge.operator.status.EventRecorder;
import dev.surge.operator.status.Readiness;
import dev.surge.operator.status.SpecCheck;
import dev.surge.operator.status.StatusLag;
import dev.surge.operator.status.StatusValues;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * Trigger → validated routing. Observe (the Trigger; its Broker and Function from informers of this controller)
 * → validate ({@link SpecCheck}: its own spec, and that the Broker, the Function and the dead-letter Function it
 * names exist and are valid — the rules by which the dispatchers decide what they run) → patch status (Ready,
 * consumerGroup). The dispatchers do the delivering; they read the Triggers themselves.
 *
 * <p>A Broker or Function created, changed or deleted reconciles the Triggers that name it, so a Trigger that was
 * waiting for its Function becomes Ready as soon as the Function exists and is valid, without polling.
 *
 * <p>{@code status.lag} is the Trigger's matching backlog as its Function's scaler last read it
 * ({@link MatchingBacklogs}, every {@code pollingInterval} of that Function): Kafka is asked once, and a change
 * reconciles the Trigger through an inbound event source; it is written by {@link StatusLag}'s rule. A Trigger that targets a URI has no scaler: it reads its own
 * backlog every {@link #URI_LAG_INTERVAL}.
 */
public final class TriggerReconciler implements Reconciler<Trigger> {
    public static final String NAME = "trigger";
    private static final String BROKERS = "brokers";
    private static final String FUNCTIONS = "functions";
    private static final String LAG = "lag";
    /** How often a Trigger to a URI reads its own backlog for {@code status.lag}. */
    public static final Duration URI_LAG_INTERVAL = Duration.ofSeconds(10);

    private final MatchingBacklogs backlogs;
    private final EventRecorder events;
    private final Clock clock;
    /** When this operator last wrote each Trigger's {@code status.lag} ({@link StatusLag}). */
    private final Map<ResourceID, Instant> lagWritten = new ConcurrentHashMap<>();

    public TriggerReconciler(MatchingBacklogs backlogs, EventRecorder events, Clock clock) {
        this.backlogs = backlogs;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, Trigger>> prepareEventSources(EventSourceContext<Trigger> context) {
        SimpleInboundEventSource<Trigger> lagChanges = new SimpleInboundEventSource<>(LAG);
        backlogs.onChange(id -> {
            try {
                lagChanges.propagateEvent(id);
            } catch (RuntimeException notStarted) {
                // before this controller runs (e.g. while it starts): its first reconcile reads the lag anyway
            }
        });
        return List.of(lagChanges,
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Broker.class, Trigger.class)
                        .withName(BROKERS)
                        .withSecondaryToPrimaryMapper(b -> naming(context, b, (t, n) -> n.equals(t.getSpec().getBroker())))
                        .build(), context),
                // its target and its dead-letter sink: a Trigger waits for either to exist or to become valid
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Function.class, Trigger.class)
                        .withName(FUNCTIONS)
                        .withSecondaryToPrimaryMapper(f -> naming(context, f, (t, n) -> n.equals(t.getSpec().getFunction())
                                || n.equals(deadLetterFunction(t))))
                        .build(), context));
    }

    private static String deadLetterFunction(Trigger trigger) {
        var delivery = trigger.getSpec().getDelivery();
        return delivery == null || delivery.getDeadLetterSink() == null ? null
                : delivery.getDeadLetterSink().getFunction();
    }

    /** The Triggers in {@code named}'s namespace that name it. */
    private static Set<ResourceID> naming(EventSourceContext<Trigger> context, HasMetadata named,
            BiPredicate<Trigger, String> names) {
        String name = named.getMetadata().getName();
        return context.getPrimaryCache().list(named.getMetadata().getNamespace())
                .filter(t -> t.getSpec() != null && names.test(t, name))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<Trigger> reconcile(Trigger trigger, Context<Trigger> context) {
        String namespace = trigger.getMetadata().getNamespace();
        // the runtime's rules for what it runs, on what this controller's informers hold
        SpecCheck.Checked<dev.surge.core.resource.Trigger> checked = SpecCheck.trigger(trigger, id -> switch (id.kind()) {
            case "Broker" -> cached(context, Broker.class, BROKERS, id.name(), id.namespace());
            case "Function" -> cached(context, Function.class, FUNCTIONS, id.name(), id.namespace());
            default -> null;
        });
        Readiness readiness = checked.valid()
                ? Readiness.ready("Routed", "events of Broker " + checked.resource().broker() + " that pass the"
                        + " filters go to " + (checked.resource().function() != null
                                ? "Function " + checked.resource().function() : checked.resource().uri()))
                : checked.problem();

        TriggerStatus before = trigger.getStatus() == null ? new TriggerStatus() : trigger.getStatus();
        TriggerStatus next = StatusValues.copy(before, TriggerStatus.class);
        Long generation = trigger.getMetadata().getGeneration();
        next.setObservedGeneration(generation);
        Instant now = clock.instant();
        next.setConditions(Conditions.withReady(before.getConditions(), readiness, generation, now));
        next.setConsumerGroup(KafkaNames.triggerGroup(namespace, trigger.getMetadata().getName()));
        boolean toUri = checked.valid() && checked.resource().function() == null;
        ResourceID id = ResourceID.fromResource(trigger);
        Optional<Long> read = toUri ? backlogs.readAlone(checked.resource()) : backlogs.of(id);
        Duration lagWaits = null;
        if (read.isPresent() && !read.get().equals(before.getLag())) {
            if (StatusLag.due(before.getLag(), lagWritten.get(id), read.get(), now, null)) {
                next.setLag(read.get());
                lagWritten.put(id, now);
                lagWritten.keySet().removeIf(t -> context.getPrimaryCache().get(t).isEmpty()); // deleted Triggers
            } else {
                // no other event may come for this value: come back when it is due
                lagWaits = StatusLag.untilDue(lagWritten.get(id), now);
            }
        }
        if (Conditions.changes(before, readiness)) {
            events.readiness(trigger, readiness);
        }
        UpdateControl<Trigger> control;
        if (StatusValues.same(before, next)) {
            control = UpdateControl.noUpdate();
        } else {
            trigger.setStatus(next);
            control = UpdateControl.patchStatus(trigger);
        }
        // a Trigger to a URI has no scaler reading its backlog: it reads it itself, less often
        Duration again = toUri ? URI_LAG_INTERVAL : null;
        if (lagWaits != null && (again == null || lagWaits.compareTo(again) < 0)) {
            again = lagWaits;
        }
        return again == null ? control : control.rescheduleAfter(again);
    }

    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> R cached(Context<Trigger> context, Class<R> type, String source,
            String name, String namespace) {
        var informer = (InformerEventSource<R, Trigger>) context.eventSourceRetriever().getEventSourceFor(type, source);
        return informer.get(new ResourceID(Objects.requireNonNull(name), namespace)).orElse(null);
    }
}
