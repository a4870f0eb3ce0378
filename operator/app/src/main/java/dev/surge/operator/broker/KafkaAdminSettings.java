package dev.surge.operator.broker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The operator's Kafka Admin client settings, with the runtime's keys and meaning ({@code surge.kafka.*}): the
 * bootstrap servers, a Kafka client properties file (security protocol, SASL, TLS …, as Kafka's tools take with
 * {@code --command-config}) and single settings that override the file's. The same small rules as the runtime's
 * KafkaClientSettings, which lives in the runtime's application module and so cannot be shared from here.
 */
public final class KafkaAdminSettings {
    private KafkaAdminSettings() {
    }

    /**
     * @throws IllegalArgumentException naming the setting, when the bootstrap servers are blank or the file cannot
     *                                  be read
     */
    public static Map<String, Object> of(String bootstrapServers, Optional<Path> file, Map<String, String> single) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("surge.kafka.bootstrap-servers: the operator needs the Kafka cluster's"
                    + " bootstrap servers (host:port,...), e.g. SURGE_KAFKA_BOOTSTRAP_SERVERS=kafka:9092");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        file.ifPresent(f -> read(f).forEach((k, v) -> settings.put(k.toString(), v)));
        settings.putAll(single);
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "surge-operator");
        return settings;
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("surge.kafka.client-properties-file: cannot read " + file + ": " + e, e);
        }
        return p;
    }
}
