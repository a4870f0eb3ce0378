package dev.surge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

    @Test
    void keepsEventsAcrossARestartOnTheSameFolder() throws Exception {
        Path dir = Path.of("target", "kafka-it-" + System.nanoTime());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            assertThat(dir.resolve("server.properties")).exists();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                    "acks", "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("t", "k", "before restart")).get();
            }

            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.start();

            assertThat(readAll(kafka.bootstrapServers(), "t")).containsExactly("before restart");
        }
    }

    @Test
    void scramListenerAcceptsItsUserAndRefusesAClientWithoutCredentials() throws Exception {
        Path dir = Path.of("target", "kafka-scram-it-" + System.nanoTime());
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithScram(dir, 0, new EmbeddedKafka.Scram(0, "surge", "s3cret"))) {
            String sasl = kafka.scramBootstrapServers().orElseThrow();
            Map<String, Object> good = Map.of("bootstrap.servers", sasl, "security.protocol", "SASL_PLAINTEXT",
                    "sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"surge\" password=\"s3cret\";");
            try (Admin admin = Admin.create(good)) {
                admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get();
                assertThat(admin.listTopics().names().get()).contains("secured");
            }
            Map<String, Object> wrongPassword = new java.util.HashMap<>(good);
            wrongPassword.put("sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"surge\" password=\"nope\";");
            try (Admin admin = Admin.create(wrongPassword)) {
                assertThat(admin.listTopics().names()).failsWithin(Duration.ofSeconds(30))
                        .withThrowableThat().withRootCauseInstanceOf(
                                org.apache.kafka.common.errors.SaslAuthenticationException.class);
            }
        }
    }

    private static List<String> readAll(String bootstrap, String topic) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }
}
