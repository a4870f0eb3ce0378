package dev.surge.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A user's producer settings win over Surge's tuning and never make a producer Kafka refuses to create. */
class KafkaClientSettingsTest {

    @Test
    void aLongerLingerThanSurgesAckWaitAllowsStillMakesAValidProducer() {
        KafkaClientSettings settings = KafkaClientSettings.of("localhost:1", Optional.empty(), Map.of("linger.ms", "20"));
        Map<String, Object> config = settings.with(KafkaCluster.producerConfig(2000));

        assertThat(config).containsEntry("linger.ms", "20").containsEntry("delivery.timeout.ms", 2000)
                .containsEntry("request.timeout.ms", 1980);
        createAndClose(config); // Kafka would throw a ConfigException here for linger + request > delivery
    }

    @Test
    void theUsersOwnRequestTimeoutMakesTheDeliveryTimeoutGrow() {
        KafkaClientSettings settings = KafkaClientSettings.of("localhost:1", Optional.empty(),
                Map.of("linger.ms", "20", "request.timeout.ms", "5000"));
        Map<String, Object> config = settings.with(KafkaCluster.producerConfig(2000));

        assertThat(config).containsEntry("request.timeout.ms", "5000").containsEntry("delivery.timeout.ms", 5020);
        createAndClose(config);
    }

    @Test
    void theUsersLingerAndTransactionTimeoutWinOverSurgesTuning() {
        KafkaClientSettings settings = KafkaClientSettings.of("localhost:1", Optional.empty(),
                Map.of("linger.ms", "50", "transaction.timeout.ms", "30000"));
        Map<String, Object> config = settings.with(Map.of("linger.ms", 5, "transaction.timeout.ms", 10_000));
        assertThat(config).containsEntry("linger.ms", "50").containsEntry("transaction.timeout.ms", "30000");
    }

    @Test
    void theUsersLongerRequestTimeoutMakesTheAdminClientsApiTimeoutGrow() {
        KafkaClientSettings settings = KafkaClientSettings.of("localhost:1", Optional.empty(),
                Map.of("request.timeout.ms", "30000"));
        Map<String, Object> config = settings.with(Map.of("request.timeout.ms", 2000, "default.api.timeout.ms", 5000));

        assertThat(config).containsEntry("request.timeout.ms", "30000").containsEntry("default.api.timeout.ms", 30000);
        Admin.create(config).close(Duration.ZERO); // Kafka throws a ConfigException for api < request timeout
    }

    private static void createAndClose(Map<String, Object> config) {
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()).close(Duration.ZERO);
    }
}
