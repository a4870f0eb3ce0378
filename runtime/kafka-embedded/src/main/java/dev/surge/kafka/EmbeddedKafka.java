package dev.surge.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one node), run in this JVM
 * from the Kafka jars. Its log directory and {@code server.properties} live in a folder the caller
 * chooses; deleting the folder deletes every event. Started again on the same folder it keeps its data
 * and ports, so clients reconnect to it after {@link #stop()} and {@link #start()}.
 *
 * <p>Not thread-safe: one owner starts and stops it.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Scram scram;
    private KafkaRaftServer server;

    /**
     * A second listener that requires SASL/SCRAM-SHA-256 authentication (SASL_PLAINTEXT), with one user, for
     * testing clients configured for a secured cluster.
     *
     * @param port the listener's port, or 0 for a free one
     */
    public record Scram(int port, String user, String password) {
        public static final String MECHANISM = "SCRAM-SHA-256";
    }

    private EmbeddedKafka(Path dataDir, int port, int controllerPort, Scram scram) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.scram = scram;
    }

    /**
     * Formats {@code dataDir} when it is new and starts the broker.
     *
     * @param port the client port, or 0 for a free one
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        int clientPort = port == 0 ? freePort() : port;
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, clientPort, freePortOtherThan(clientPort), null);
        kafka.start();
        return kafka;
    }

    /**
     * Like {@link #start(Path, int)}, with a second listener that requires SASL/SCRAM; its user is created
     * (or its password set) once the broker runs.
     */
    public static EmbeddedKafka startWithScram(Path dataDir, int port, Scram scram) {
        int clientPort = port == 0 ? freePort() : port;
        int controller = freePortOtherThan(clientPort);
        int saslPort = scram.port();
        while (saslPort == 0 || saslPort == clientPort || saslPort == controller) {
            saslPort = freePort();
        }
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, clientPort, controller,
                new Scram(saslPort, scram.user(), scram.password()));
        kafka.start();
        kafka.createScramUser();
        return kafka;
    }

    private void createScramUser() {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.alterUserScramCredentials(java.util.List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    scram.user(), new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256, 8192), scram.password())))
                    .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the SCRAM user " + scram.user() + ": " + e, e);
        }
    }

    /** The SASL/SCRAM listener's address, when the broker has one. */
    public java.util.Optional<String> scramBootstrapServers() {
        return scram == null ? java.util.Optional.empty() : java.util.Optional.of("localhost:" + scram.port());
    }

    /** Starts the broker again after {@link #stop()}, with the same data and ports. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Properties props = serverProperties();
        try {
            Files.createDirectories(logDir());
            Path file = dataDir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(file)) {
                props.store(w, "Written by Surge for its embedded Kafka broker; edits are overwritten.");
            }
            if (!Files.exists(logDir().resolve("meta.properties"))) {
                format(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data folder " + dataDir, e);
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        s.startup();
        server = s;
    }

    /** Stops the broker; its data stays. Returns once every socket is closed. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    private Path logDir() {
        return dataDir.resolve("logs");
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        if (scram == null) {
            p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            p.put("listeners", "PLAINTEXT://localhost:" + port + ",SASL_PLAINTEXT://localhost:" + scram.port()
                    + ",CONTROLLER://localhost:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://localhost:" + port + ",SASL_PLAINTEXT://localhost:" + scram.port());
            p.put("listener.security.protocol.map",
                    "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("sasl.enabled.mechanisms", Scram.MECHANISM);
            p.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", Scram.MECHANISM);
            p.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir().toString());
        // A single node: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Surge creates the topics of brokers itself; a typo in a client must not create one.
        p.put("auto.create.topics.enable", "false");
        // Consumer groups of triggers start delivering at once instead of waiting 3 s for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("message.max.bytes", String.valueOf(4 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        return p;
    }

    private void format(Path propertiesFile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        int code = StorageTool.execute(new String[] {"format", "--config", propertiesFile.toString(),
                "--cluster-id", clusterId}, new PrintStream(out, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + logDir() + " failed: "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static int freePortOtherThan(int port) {
        int p;
        do {
            p = freePort();
        } while (p == port);
        return p;
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + "]";
    }

}
