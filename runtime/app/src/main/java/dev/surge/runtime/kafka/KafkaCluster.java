package dev.surge.runtime.kafka;

import dev.surge.core.KafkaNames;
import dev.surge.core.delivery.DeadLetterSink;
import dev.surge.core.resource.Broker;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import dev.surge.kafka.EmbeddedKafka;
import dev.surge.runtime.SurgeConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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
    private final String bootstrapServers;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final BatchProducers batchProducers;
    private final ScheduledExecutorService watcher;
    private volatile boolean reachable = true;

    private KafkaCluster(EmbeddedKafka embedded, String bootstrapServers, SurgeConfig.Kafka config,
            SurgeConfig.Ingress ingress) {
        this.embedded = embedded;
        this.bootstrapServers = bootstrapServers;
        int timeoutMs = (int) config.timeout().toMillis();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, 5000)));
        this.producer = new KafkaProducer<>(producerConfig(bootstrapServers, timeoutMs), new StringSerializer(),
                new ByteArraySerializer());
        this.batchProducers = BatchProducers.of(bootstrapServers, timeoutMs, ingress.transactionTimeout(),
                ingress.transactionalIdPrefix(), ingress.batchProducers());
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "surge-kafka-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::probe, WATCH_INTERVAL_MS, WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Connects to {@code bootstrapServers} when given, else starts the embedded broker under {@code dataDir}. */
    public static KafkaCluster open(SurgeConfig config, Optional<String> bootstrapServers) {
        if (bootstrapServers.isPresent()) {
            return new KafkaCluster(null, bootstrapServers.get(), config.kafka(), config.ingress());
        }
        var dir = config.dataDir().resolve("kafka");
        LOG.infof("starting the embedded Kafka broker in %s", dir.toAbsolutePath());
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, config.kafka().port());
        return new KafkaCluster(kafka, kafka.bootstrapServers(), config.kafka(), config.ingress());
    }

    /**
     * Acks from every in-sync replica and idempotence: an event is durable before the ingress answers 202,
     * and retries inside the producer never duplicate it. Short timeouts make an unreachable Kafka a
     * fast 503 rather than a hung request.
     */
    static Map<String, Object> producerConfig(String bootstrapServers, int timeoutMs) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(timeoutMs - 10, 1),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    }

    /** Creates the topic of every broker that lacks one; existing topics are left as they are. */
    public void ensureTopics(List<Broker> brokers) throws InterruptedException {
        for (Broker b : brokers) {
            create(new NewTopic(KafkaNames.brokerTopic(b.namespace(), b.name()), b.partitions(), b.replicationFactor())
                    .configs(Map.of("retention.ms", String.valueOf(b.retention().toMillis()))), b.partitions());
        }
    }

    /** Creates the dead-letter topics triggers name, like the topic of their broker. */
    public void ensureDeadLetterTopics(ResourceSet resources) throws InterruptedException {
        for (Trigger t : resources.triggers()) {
            if (t.delivery().deadLetterSink() instanceof DeadLetterSink.Topic dlq) {
                Broker b = resources.broker(t.namespace(), t.broker()).orElseThrow();
                create(new NewTopic(dlq.name(), b.partitions(), b.replicationFactor())
                        .configs(Map.of("retention.ms", String.valueOf(b.retention().toMillis()))), b.partitions());
            }
        }
    }

    private void create(NewTopic topic, int partitions) throws InterruptedException {
        try {
            admin.createTopics(List.of(topic)).all().get();
            LOG.infof("created topic %s (%d partitions)", topic.name(), partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
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
        batchProducers.close();
        producer.close(java.time.Duration.ofSeconds(5));
        admin.close(java.time.Duration.ofSeconds(2));
        if (embedded != null) {
            embedded.stop();
        }
    }
}
