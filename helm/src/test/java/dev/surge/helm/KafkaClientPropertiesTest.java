package dev.surge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.helm.Charts.Rendered;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * The Kafka client properties helm/surge renders, read by Kafka's own client configuration in a JVM whose
 * environment holds the Secret's values as the pod's would: the credentials the file only refers to
 * ({@code ${env:...}}) reach the client, through Kafka's EnvVarConfigProvider.
 */
class KafkaClientPropertiesTest {

    @Test
    void saslCredentialsFromTheSecretReachTheClient() throws Exception {
        Rendered rendered = Charts.render(Charts.SURGE, SurgeChartTest.STRIMZI_SCRAM);
        String resolved = resolve(rendered, Map.of("SURGE_KAFKA_SASL_USERNAME", "surge-user",
                "SURGE_KAFKA_SASL_PASSWORD", "pa$$w0rd{x}"));
        assertThat(resolved).contains("security.protocol=SASL_SSL")
                .contains("sasl.mechanism=SCRAM-SHA-512")
                .contains("sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"surge-user\" password=\"pa$$w0rd{x}\";")
                .contains("ssl.truststore.type=PEM")
                .contains("ssl.truststore.location=/etc/surge/kafka/ca/ca.crt");
    }

    @Test
    void theKeystorePasswordFromTheSecretReachesTheClient() throws Exception {
        Rendered rendered = Charts.render(Charts.SURGE, SurgeChartTest.MUTUAL_TLS);
        String resolved = resolve(rendered, Map.of("SURGE_KAFKA_KEYSTORE_PASSWORD", "keystore-secret"));
        assertThat(resolved).contains("ssl.keystore.password=keystore-secret")
                .contains("ssl.keystore.type=PKCS12")
                .contains("ssl.keystore.location=/etc/surge/kafka/client/user.p12")
                // endpointIdentification false: the empty algorithm, which turns the host name check off
                .containsPattern("(?m)^ssl\\.endpoint\\.identification\\.algorithm=$");
    }

    /**
     * Writes the ConfigMap's client.properties and has a child JVM with {@code env} build Kafka's AdminClientConfig
     * from it (as every Surge client is built: the file's settings as the client's), printing what the client sees.
     */
    static String resolve(Rendered rendered, Map<String, String> env) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "kafka-properties").toAbsolutePath());
        Path file = Files.createTempFile(dir, "client", ".properties");
        Files.writeString(file, rendered.get("ConfigMap", "surge-kafka-client").at("/data/client.properties").asText());
        Path out = file.resolveSibling(file.getFileName() + ".out");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName(), file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the probe finished").isTrue();
            String output = Files.readString(out);
            assertThat(p.exitValue()).as(output).isZero();
            return output;
        } finally {
            p.destroyForcibly();
        }
    }

    /** Prints the settings as Kafka's client configuration resolved them, one {@code key=value} a line. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
                p.load(r);
            }
            p.put("bootstrap.servers", "kafka:9093");
            AdminClientConfig config = new AdminClientConfig(p);
            for (String key : List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.type",
                    "ssl.truststore.location", "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password",
                    "ssl.endpoint.identification.algorithm")) {
                Object value = config.values().get(key);
                if (value instanceof org.apache.kafka.common.config.types.Password password) {
                    value = password.value();
                }
                System.out.println(key + "=" + value);
            }
        }
    }
}
