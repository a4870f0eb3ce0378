package dev.surge.runtime.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings every Kafka client of Surge shares: the bootstrap servers and what the user passes through
 * (security protocol, SASL, TLS, timeouts, {@code client.rack} …) from a client properties file and
 * single {@code surge.kafka.client.*} properties, the latter winning.
 *
 * <p>A component builds its client with {@link #with(Map)}: its own settings on top of the user's. A few
 * settings carry Surge's guarantees (acks, idempotence, manual commits, read_committed, serializers, group
 * and transactional ids); the user cannot change them, and {@link #overridden()} names any that were tried
 * so the start-up log says so instead of silently ignoring them.
 */
public final class KafkaClientSettings {
    /** Settings Surge sets itself for its guarantees; a user's value for them is ignored. */
    static final Set<String> RESERVED = Set.of(
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);

    private final String bootstrapServers;
    private final Map<String, Object> user;
    private final Set<String> overridden;

    private KafkaClientSettings(String bootstrapServers, Map<String, Object> user, Set<String> overridden) {
        this.bootstrapServers = bootstrapServers;
        this.user = Map.copyOf(user);
        this.overridden = Set.copyOf(overridden);
    }

    /** Plain settings: the bootstrap servers only. */
    public static KafkaClientSettings of(String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, Map.of(), Set.of());
    }

    /**
     * @param file   a Kafka client properties file, or empty
     * @param single single settings, overriding the file's
     * @throws IllegalArgumentException when the file cannot be read, naming it
     */
    public static KafkaClientSettings of(String bootstrapServers, Optional<Path> file, Map<String, String> single) {
        Map<String, Object> user = new LinkedHashMap<>();
        file.ifPresent(f -> read(f).forEach((k, v) -> user.put(k.toString(), v)));
        user.putAll(single);
        Map<String, Object> kept = new HashMap<>(user);
        kept.keySet().removeAll(RESERVED);
        Set<String> overridden = new java.util.TreeSet<>(user.keySet());
        overridden.retainAll(RESERVED);
        return new KafkaClientSettings(bootstrapServers, kept, overridden);
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Kafka client properties file " + file + ": " + e, e);
        }
        return p;
    }

    /**
     * A client's settings: {@code own} (the component's tuning and, for {@link #RESERVED} names, its guarantees),
     * with the user's settings on top — the user's value wins for every name but the reserved ones, which the user
     * cannot set — and the bootstrap servers. A new mutable map.
     */
    public Map<String, Object> with(Map<String, ?> own) {
        Map<String, Object> all = new HashMap<>(own);
        all.putAll(user); // reserved names were removed from the user's settings when they were read
        all.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (all.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            fitProducerTimeouts(all, user.keySet());
        }
        if (all.containsKey(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG)) {
            fitApiTimeout(all, user.keySet());
        }
        return all;
    }

    /**
     * Kafka refuses an admin client or consumer whose {@code default.api.timeout.ms} is below its
     * {@code request.timeout.ms}. Where the user set only the request timeout (e.g. 30 s for a distant cluster)
     * above Surge's API timeout, the API timeout grows to it; a user who set both gets Kafka's own error.
     */
    static void fitApiTimeout(Map<String, Object> client, Set<String> byUser) {
        long request = number(client.get(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG), 30_000);
        long api = number(client.get(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG), 60_000);
        if (api < request && !byUser.contains(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG)) {
            client.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, request));
        }
    }

    /**
     * Kafka refuses a producer whose {@code delivery.timeout.ms} is below {@code linger.ms + request.timeout.ms}.
     * Surge's own values fit; a user's {@code linger.ms} or {@code request.timeout.ms} may not fit Surge's delivery
     * timeout. Then Surge's request timeout gives way (the ack wait stays what Surge promises), and where the user
     * set the request timeout too, the delivery timeout grows to fit the user's values.
     */
    static void fitProducerTimeouts(Map<String, Object> producer, Set<String> byUser) {
        long linger = number(producer.get(ProducerConfig.LINGER_MS_CONFIG), 5);
        long request = number(producer.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), 30_000);
        long delivery = number(producer.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), 120_000);
        if (delivery >= linger + request) {
            return;
        }
        if (!byUser.contains(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG) && delivery - linger >= 1) {
            producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (delivery - linger));
        } else if (!byUser.contains(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, linger + request));
        } // else the user's own three values disagree: Kafka's error names them
    }

    private static long number(Object value, long absent) {
        if (value == null) {
            return absent;
        }
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return absent; // Kafka's own config check reports the bad value
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The user's settings (passwords included): for clients only, never to be logged. */
    public Map<String, Object> user() {
        return user;
    }

    /** Reserved settings the user tried to set; Surge's own values were kept. */
    public Set<String> overridden() {
        return overridden;
    }

    /** Names of the user's settings, without values (they may hold secrets), for the start-up log. */
    public Set<String> names() {
        return new java.util.TreeSet<>(user.keySet());
    }
}
