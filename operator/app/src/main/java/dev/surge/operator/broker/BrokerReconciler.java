package dev.surge.operator.broker;

import dev.surge.core.KafkaNames;
import dev.surge.kubernetes.api.Broker;
import dev.surge.kubernetes.api.BrokerStatus;
import dev.surge.operator.status.Conditions;
import dev.surge.operator.status.EventRecorder;
import dev.surge.operator.status.Readiness;
import dev.surge.operator.status.SpecCheck;
import dev.surge.operator.status.StatusValues;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Broker → Kafka topic. Observe (the Broker; the topic through Kafka Admin) → validate ({@link SpecCheck}) →
 * apply ({@link BrokerTopics}: create, grow partitions, set retention) → patch status (Ready, address, topic).
 * A Kafka that does not answer gives Ready=False and another try after {@link #KAFKA_RETRY}.
 *
 * <p>Deleting a Broker leaves its topic in Kafka: the events in it are data that a deleted custom resource (e.g.
 * by a mistaken {@code kubectl delete -f}) should not destroy; delete it with Kafka's tools when it is no longer
 * wanted.
 */
public final class BrokerReconciler implements Reconciler<Broker> {
    public static final String NAME = "broker";
    public static final Duration KAFKA_RETRY = Duration.ofSeconds(10);

    private final BrokerTopics topics;
    private final URI ingressUrl;
    private final EventRecorder events;
    private final Clock clock;

    /** @param ingressUrl base URL of the ingress, e.g. {@code http://surge-ingress.surge.svc} */
    public BrokerReconciler(BrokerTopics topics, URI ingressUrl, EventRecorder events, Clock clock) {
        this.topics = topics;
        this.ingressUrl = ingressUrl;
        this.events = events;
        this.clock = clock;
    }

    /** Where the ingress accepts events for a broker: {@code <ingress URL>/<namespace>/<broker>}. */
    public static String address(URI ingressUrl, String namespace, String broker) {
        String base = ingressUrl.toString();
        return (base.endsWith("/") ? base : base + "/") + namespace + "/" + broker;
    }

    @Override
    public UpdateControl<Broker> reconcile(Broker broker, Context<Broker> context) {
        SpecCheck.Checked<dev.surge.core.resource.Broker> checked = SpecCheck.broker(broker);
        if (!checked.valid()) {
            return status(broker, checked.problem(), false);
        }
        dev.surge.core.resource.Broker core = checked.resource();
        String topic = KafkaNames.brokerTopic(core.namespace(), core.name());
        TopicPlan plan;
        try {
            plan = topics.ensure(core);
        } catch (BrokerTopics.KafkaUnavailableException e) {
            return status(broker, Readiness.notReady("KafkaUnavailable", e.getMessage()), false)
                    .rescheduleAfter(KAFKA_RETRY);
        }
        if (plan.create()) {
            events.normal(broker, "TopicCreated", "created topic " + topic + " with " + core.partitions()
                    + " partitions");
        } else if (plan.partitions().isPresent()) {
            events.normal(broker, "TopicGrown", "topic " + topic + " grown to " + plan.partitions().get()
                    + " partitions");
        }
        Readiness readiness = plan.notes().isEmpty()
                ? Readiness.ready("TopicReady", "topic " + topic + " is as the spec says")
                : Readiness.ready("TopicDiffers", "topic " + topic + " works; " + String.join("; ", plan.notes()));
        return status(broker, readiness, true);
    }

    private UpdateControl<Broker> status(Broker broker, Readiness readiness, boolean withAddress) {
        Instant now = clock.instant();
        BrokerStatus before = broker.getStatus() == null ? new BrokerStatus() : broker.getStatus();
        BrokerStatus next = StatusValues.copy(before, BrokerStatus.class);
        Long generation = broker.getMetadata().getGeneration();
        next.setObservedGeneration(generation);
        next.setConditions(Conditions.withReady(before.getConditions(), readiness, generation, now));
        if (withAddress) {
            String namespace = broker.getMetadata().getNamespace();
            String name = broker.getMetadata().getName();
            next.setAddress(address(ingressUrl, namespace, name));
            next.setTopic(KafkaNames.brokerTopic(namespace, name));
        }
        if (Conditions.changes(before, readiness)) {
            events.readiness(broker, readiness);
        }
        if (StatusValues.same(before, next)) {
            return UpdateControl.noUpdate();
        }
        broker.setStatus(next);
        return UpdateControl.patchStatus(broker);
    }
}
