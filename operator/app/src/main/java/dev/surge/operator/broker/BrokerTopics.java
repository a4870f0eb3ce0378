package dev.surge.operator.broker;

import dev.surge.core.KafkaNames;
import dev.surge.core.resource.Broker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A Broker's Kafka topic ({@code surge.<namespace>.<broker>}) through Kafka's Admin client: reads it, and carries
 * out the {@link TopicPlan}. Every call waits at most {@code timeout}; a Kafka that does not answer is a
 * {@link KafkaUnavailableException}.
 */
public final class BrokerTopics {
    private final Admin admin;
    private final Duration timeout;

    public BrokerTopics(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Kafka did not answer in time, or refused the request; the message says which and why. */
    public static final class KafkaUnavailableException extends Exception {
        KafkaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Makes the topic as the Broker says, as far as Kafka allows; returns what was planned. */
    public TopicPlan ensure(Broker broker) throws KafkaUnavailableException {
        String topic = KafkaNames.brokerTopic(broker.namespace(), broker.name());
        TopicPlan plan = TopicPlan.of(broker, describe(topic));
        if (plan.create()) {
            NewTopic newTopic = new NewTopic(topic, broker.partitions(), broker.replicationFactor())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(broker.retention().toMillis())));
            try {
                await(admin.createTopics(List.of(newTopic)).all(), "create topic " + topic);
            } catch (KafkaUnavailableException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                return ensure(broker); // created meanwhile (another operator replica): compare again
            }
            return plan;
        }
        if (plan.partitions().isPresent()) {
            await(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(plan.partitions().get()))).all(),
                    "grow topic " + topic + " to " + plan.partitions().get() + " partitions");
        }
        if (plan.retentionMs().isPresent()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Collection<AlterConfigOp> ops = List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG,
                    String.valueOf(plan.retentionMs().get())), AlterConfigOp.OpType.SET));
            await(admin.incrementalAlterConfigs(Map.of(resource, ops)).all(), "set retention.ms of topic " + topic);
        }
        return plan;
    }

    /** The topic as Kafka has it, or empty when it does not exist. */
    public Optional<TopicPlan.Topic> describe(String topic) throws KafkaUnavailableException {
        TopicDescription description;
        try {
            description = await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic)
                    .get(topic);
        } catch (KafkaUnavailableException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        ConfigEntry retention = await(admin.describeConfigs(List.of(resource)).all(), "describe topic " + topic)
                .get(resource).get(TopicConfig.RETENTION_MS_CONFIG);
        short replicas = (short) description.partitions().get(0).replicas().size();
        return Optional.of(new TopicPlan.Topic(description.partitions().size(), replicas,
                retention == null || retention.value() == null ? null : Long.valueOf(retention.value())));
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) throws KafkaUnavailableException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Kafka refused to " + what + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not answer within " + timeout.toMillis() + " ms to "
                    + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while waiting for Kafka to " + what, e);
        }
    }
}
