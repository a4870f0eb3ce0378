package dev.surge.runtime.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the runtime, read by Quarkus from system properties, environment variables
 * ({@code SURGE_DATA_DIR} …) and {@code application.properties}. The {@code surge} command sets them from
 * its options.
 */
@ConfigMapping(prefix = "surge")
public interface SurgeConfig {

    /** The resource file (Brokers, Functions, Triggers). */
    @WithDefault("surge.yaml")
    Path configFile();

    /** Folder of local mode's state: the embedded Kafka's data and the functions' logs. */
    @WithDefault(".surge")
    Path dataDir();

    /**
     * What this process does: {@code ingress} (accepts events), {@code dispatcher} (runs the triggers),
     * {@code scaler} (decides replicas and, in local mode, runs the functions' processes). Local mode runs all
     * three; on Kubernetes each runs as its own Deployment.
     */
    @WithDefault("ingress,dispatcher,scaler")
    Set<Role> roles();

    /**
     * This process's name among the dispatchers of the same triggers, part of each trigger consumer's static
     * member id. Unset: the host name, which on Kubernetes is the pod's name. Two dispatcher processes with the
     * same id would fence each other out of their triggers' consumer groups.
     */
    Optional<String> instanceId();

    /** How often the resource file is checked for changes while Surge runs; 0 turns watching off. */
    @WithDefault("500ms")
    Duration watchInterval();

    /**
     * Where the resources come from: {@code file} (the watched {@link #configFile()}) or {@code kubernetes} (the
     * cluster's Broker, Function and Trigger custom resources; no embedded Kafka, so
     * {@code surge.kafka.bootstrap-servers} is required).
     */
    @WithDefault("file")
    ResourceMode resources();

    Kubernetes kubernetes();

    Kafka kafka();

    Ingress ingress();

    Admin admin();

    interface Admin {
        /**
         * Who may call the admin and status endpoints ({@code GET /brokers}, {@code /triggers}, {@code /functions},
         * {@code POST /functions/...}): a YAML file with the fields of a Broker's {@code spec.ingress.auth}
         * ({@code mode: open | tokens | oidc} …). Unset: requests from this machine (a loopback interface) only.
         */
        Optional<Path> authFile();

        /**
         * Whether {@code GET} of the status endpoints is open to anyone who reaches the port, as {@code /q/metrics}
         * (the same counts) is; what changes state still follows {@link #authFile()}. helm/surge's dispatchers set
         * it, as {@code surge status --kubernetes} reads them through the API server's pod proxy, which is no
         * loopback caller and passes on no credentials of the user.
         */
        @io.smallrye.config.WithDefault("false")
        boolean openReads();
    }

    /** See {@link #resources()}. */
    enum ResourceMode {
        FILE, KUBERNETES
    }

    interface Kubernetes {
        /**
         * The namespaces whose resources this process watches, comma-separated. Unset: all namespaces (the
         * account needs a ClusterRoleBinding to its rules; with a list, RoleBindings in those namespaces do).
         */
        Optional<java.util.List<String>> namespaces();

        /**
         * Address of a Function's Service, with {@code {function}}, {@code {namespace}} and {@code {port}} (the
         * Function's {@code port}).
         */
        @WithDefault(dev.surge.runtime.kubernetes.FunctionServices.FunctionUrl.DEFAULT)
        String functionUrl();

        /** Longest wait at start for the informers to list the resources. */
        @WithDefault("60s")
        Duration syncTimeout();
    }

    Functions functions();

    interface Kafka {
        /**
         * An existing Kafka cluster to use instead of the embedded broker. Unset: local mode starts its
         * own broker. The standard {@code kafka.bootstrap.servers} property is honoured too.
         */
        Optional<String> bootstrapServers();

        /** Client port of the embedded broker; 0 picks a free port. */
        @WithDefault("19092")
        int port();

        /** Longest wait for Kafka to acknowledge an event before the ingress answers 503. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * A Kafka client properties file (as Kafka's own tools take with {@code --command-config}): security
         * protocol, SASL, TLS and any other client setting, passed to every producer, consumer and admin
         * client Surge creates.
         */
        Optional<Path> clientPropertiesFile();

        /**
         * Kafka client settings given one by one, e.g. {@code surge.kafka.client."security.protocol"=SASL_SSL};
         * they override the file's. See {@link dev.surge.runtime.kafka.KafkaClientSettings} for the few that
         * Surge's guarantees need and that cannot be overridden.
         */
        Map<String, String> client();
    }

    interface Ingress {
        /** Largest request body the ingress accepts, in bytes; larger requests get 413. */
        @WithDefault("1048576")
        int maxRequestBytes();

        /** Most context attributes and extensions one event may have, specversion included. */
        @WithDefault("64")
        int maxAttributes();

        /** Longest attribute value, in UTF-8 bytes. */
        @WithDefault("4096")
        int maxAttributeBytes();

        /**
         * Most bytes an event's attributes may take as binary-mode HTTP headers: as received (larger requests
         * get 431) and as they will be sent for delivery, which a function's HTTP server must accept.
         */
        @WithDefault("16384")
        int maxHeaderBytes();

        /** Transactional producers for batched requests: how many batches are written at once. */
        @WithDefault("4")
        int batchProducers();

        /** Prefix of their transactional.id; a part unique to the process is added. */
        @WithDefault("surge-ingress")
        String transactionalIdPrefix();

        /**
         * How long the broker lets a batch's transaction stay open before aborting it, e.g. when Surge died in
         * the middle of one; triggers (read_committed) wait at most that long behind it.
         */
        @WithDefault("10s")
        Duration transactionTimeout();
    }

    interface Functions {
        /** Whether local mode starts the Functions of the resource file as processes. */
        @WithDefault("true")
        boolean enabled();

        /** The Java launcher for function processes; default: the one running Surge. */
        Optional<String> java();

        /** Longest wait for a function process to become ready. */
        @WithDefault("60s")
        Duration startTimeout();

        /**
         * Longest time a synchronous call ({@code POST /functions/<namespace>/<function>}) waits for a ready
         * replica, e.g. while the function scales from zero, before answering 504.
         */
        @WithDefault("30s")
        Duration activationTimeout();
    }
}
