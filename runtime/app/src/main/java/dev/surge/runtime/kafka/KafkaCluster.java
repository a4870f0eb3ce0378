package dev.surge.runtime.kafka;

import dev.surge.core.KafkaNames;
import dev.surge.core.delivery.DeadLetterSink;
import dev.surge.core.resource.Broker;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import dev.surge.kafka.EmbeddedKafka;
import dev.surge.runtime.config.SurgeConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Surge's connection to Kafka: the embedded broker of local mode (or an existing cluster), the one
 * producer every component shares, the transactional producers of batches, topic provisioning, and a watch on whether Kafka answers.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaCluster.class);
    private static final long WATCH_INTERVAL_MS = 500;

    private final EmbeddedKafka embedded;
    private final KafkaClientSettings clients;
    private final String bootstrapServers;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final BatchProducers batchProducers;
    private final ScheduledExecutorService watcher;
    private volatile boolean reachable = true;

    private KafkaCluster(EmbeddedKafka embedded, KafkaClientSettings clients, SurgeConfig.Kafka config,
            SurgeConfig.Ingress ingress, boolean batches) {
        this.embedded = embedded;
        this.clients = clients;
        this.bootstrapServers = clients.bootstrapServers();
        int timeoutMs = (int) config.timeout().toMillis();
        this.admin = Admin.create(clients.with(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, 5000))));
        this.producer = new KafkaProducer<>(clients.with(producerConfig(timeoutMs)), new StringSerializer(),
                new ByteArraySerializer());
        // Only the ingress writes batches; each slot opens a transactional producer at start.
        this.batchProducers = batches ? BatchProducers.of(clients, timeoutMs, ingress.transactionTimeout(),
                ingress.transactionalIdPrefix(), ingress.batchProducers()) : null;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "surge-kafka-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::probe, WATCH_INTERVAL_MS, WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to {@code bootstrapServers} when given, else starts the embedded broker under {@code dataDir}.
     * The user's client settings ({@code surge.kafka.client-properties-file}, {@code surge.kafka.client.*})
     * apply to every client either way.
     */
    public static KafkaCluster open(SurgeConfig config, Optional<String> bootstrapServers) {
        EmbeddedKafka kafka = null;
        String servers;
        if (bootstrapServers.isPresent()) {
            servers = bootstrapServers.get();
        } else {
            var dir = config.dataDir().resolve("kafka");
            LOG.infof("starting the embedded Kafka broker in %s", dir.toAbsolutePath());
            kafka = EmbeddedKafka.start(dir, config.kafka().port());
            servers = kafka.bootstrapServers();
        }
        KafkaClientSettings clients = KafkaClientSettings.of(servers, config.kafka().clientPropertiesFile(),
                config.kafka().client());
        if (!clients.names().isEmpty()) {
            LOG.infof("Kafka client settings passed to every client: %s", clients.names());
        }
        if (!clients.overridden().isEmpty()) {
            LOG.warnf("Kafka client settings %s are Surge's own (its delivery guarantees depend on them); the values"
                    + " given were ignored", clients.overridden());
        }
        return new KafkaCluster(kafka, clients, config.kafka(), config.ingress(),
                config.roles().contains(dev.surge.runtime.config.Role.INGRESS));
    }

    /**
     * Acks from every in-sync replica and idempotence: an event is durable before the ingress answers 202,
     * and retries inside the producer never duplicate it. Short timeouts make an unreachable Kafka a
     * fast 503 rather than a hung request.
     */
    static Map<String, Object> producerConfig(int timeoutMs) {
        return Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(timeoutMs - 10, 1),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    }

    /**
     * Creates the topic of every broker and every dead-letter topic that lacks one, and grows the partitions of
     * a broker's topic when its spec asks for more. Kafka cannot take partitions away: a smaller number is
     * logged and the topic keeps what it has. A changed retention is set on the topic; its other settings are kept.
     */
    public void ensureTopics(ResourceSet resources) throws InterruptedException {
        for (Broker b : resources.brokers()) {
            String topic = KafkaNames.brokerTopic(b.namespace(), b.name());
            boolean created = create(new NewTopic(topic, b.partitions(), b.replicationFactor())
                    .configs(Map.of("retention.ms", String.valueOf(b.retention().toMillis()))), b.partitions());
            if (!created) {
                grow(topic, b.partitions()); // a topic just created has its partitions; its metadata may lag
                retain(topic, b.retention().toMillis());
            }
        }
        for (Trigger t : resources.triggers()) {
            if (t.delivery().deadLetterSink() instanceof DeadLetterSink.Topic dlq) {
                Broker b = resources.broker(t.namespace(), t.broker()).orElseThrow();
                create(new NewTopic(dlq.name(), b.partitions(), b.replicationFactor())
                        .configs(Map.of("retention.ms", String.valueOf(b.retention().toMillis()))), b.partitions());
            }
        }
    }

    private void grow(String topic, int partitions) throws InterruptedException {
        try {
            int now = partitionsOf(topic);
            if (partitions > now) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get();
                LOG.infof("topic %s grown from %d to %d partitions", topic, now, partitions);
            } else if (partitions < now) {
                LOG.warnf("topic %s has %d partitions; Kafka cannot reduce them to %d, so it keeps %d", topic, now,
                        partitions, now);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot check the partitions of topic " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * The partition count of a topic that exists. Another process (a second runtime, the operator) may have just
     * created it: then the broker answering may not know it yet, for a moment (seen in KubernetesModePackagedIT).
     */
    private int partitionsOf(String topic) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // metadata of a topic created elsewhere is on its way; no event to wait for
            }
        }
    }

    /** Sets the topic's retention.ms when the broker's spec changed it. */
    private void retain(String topic, long retentionMs) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            ConfigEntry now = config == null ? null : config.get("retention.ms");
            String wanted = String.valueOf(retentionMs);
            if (now == null || !wanted.equals(now.value())) {
                admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                        new ConfigEntry("retention.ms", wanted), AlterConfigOp.OpType.SET)))).all().get();
                LOG.infof("topic %s now retains events for %d ms (was %s)", topic, retentionMs,
                        now == null ? "the broker's default" : now.value() + " ms");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set the retention of topic " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Creates the topic; false when it existed already. */
    private boolean create(NewTopic topic, int partitions) throws InterruptedException {
        try {
            admin.createTopics(List.of(topic)).all().get();
            LOG.infof("created topic %s (%d partitions)", topic.name(), partitions);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
            return false;
        }
    }

    private void probe() {
        boolean now;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) (WATCH_INTERVAL_MS * 2)))
                    .nodes().get(WATCH_INTERVAL_MS * 3, TimeUnit.MILLISECONDS);
            now = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            now = false;
        }
        if (now != reachable) {
            LOG.infof(now ? "Kafka at %s is reachable again" : "Kafka at %s is unreachable", bootstrapServers);
        }
        reachable = now;
    }

    /** Called when a produce timed out, so that the next requests fail fast until the watch sees Kafka again. */
    public void markUnreachable() {
        reachable = false;
    }

    /** Whether Kafka answered the last probe. */
    public boolean isReachable() {
        return reachable;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** What every client of Surge must be created with: bootstrap servers and the user's settings. */
    public KafkaClientSettings clients() {
        return clients;
    }

    public KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    /** Transactional producers for batches that must be written atomically. */
    public BatchProducers batchProducers() {
        return batchProducers;
    }

    public Admin admin() {
        return admin;
    }

    /** The embedded broker, when local mode started one. */
    public Optional<EmbeddedKafka> embedded() {
        return Optional.ofNullable(embedded);
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        if (batchProducers != null) {
            batchProducers.close();
        }
        producer.close(java.time.Duration.ofSeconds(5));
        admin.close(java.time.Duration.ofSeconds(2));
        if (embedded != null) {
            embedded.stop();
        }
    }
}
