package dev.surge.runtime;

import dev.surge.runtime.config.Role;

import dev.surge.core.resource.InvalidResourcesException;
import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import dev.surge.runtime.cli.ExitCodes;
import dev.surge.runtime.cli.SurgeCli;
import dev.surge.runtime.cli.SurgeVersion;
import dev.surge.runtime.local.AotTraining;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code surge} command. Options are checked and the resource file validated before Quarkus starts,
 * so a mistake is reported in one clear message instead of a failed boot.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** {@code up} and {@code validate}: the resource file is missing, unreadable or invalid (the problems printed). */
    static final int INVALID_RESOURCES = 2;

    /** The {@code surge} command line with every command, as {@link #main} runs it. */
    static CommandLine commandLine() {
        return SurgeCli.commandLine(new Surge());
    }

    @Command(name = "surge", mixinStandardHelpOptions = true, versionProvider = SurgeVersion.class,
            description = "Serverless event functions on Kafka.",
            subcommands = {Up.class, Validate.class, dev.surge.runtime.cli.NewCommand.class,
                    dev.surge.runtime.cli.SendCommand.class, dev.surge.runtime.cli.StatusCommand.class,
                    dev.surge.runtime.cli.LogsCommand.class, dev.surge.runtime.cli.DeployCommand.class,
                    AotTrain.class})
    static class Surge implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = SurgeVersion.class,
            description = {"Check a resource file and list what it declares.", ""},
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:the file is valid (what it declares is printed)", ExitCodes.HELP_FAILED,
                    "2:bad arguments, or the file is missing, unreadable or invalid (each problem printed)"})
    static class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", defaultValue = "surge.yaml", description = "Resource file (default: ${DEFAULT-VALUE}).")
        Path file;

        @Override
        public Integer call() {
            ResourceSet set = load(file, spec.commandLine().getErr());
            if (set == null) {
                return INVALID_RESOURCES;
            }
            spec.commandLine().getOut().printf("%s: %d broker(s), %d function(s), %d trigger(s)%n", file, set.brokers().size(),
                    set.functions().size(), set.triggers().size());
            return 0;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, versionProvider = SurgeVersion.class,
            description = {"Run Surge: the ingress, the dispatcher and the functions of the resource file; with no"
                    + " Kafka given, an embedded Kafka broker too (local mode). Runs until stopped.", ""},
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"1:Surge could not start (e.g. its port is in use, Kafka cannot be reached; the log says"
                    + " why)",
                    "2:bad arguments, or the resource file is missing, unreadable or invalid (each problem printed)",
                    "130:stopped with Ctrl-C (SIGINT), as the JVM exits on it", "143:stopped with SIGTERM"})
    static class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", defaultValue = "surge.yaml", description = "Resource file (default: ${DEFAULT-VALUE}).")
        Path file;

        @Option(names = {"-p", "--port"}, defaultValue = "8080", description = "HTTP port of the ingress (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "${env:SURGE_HOST:-127.0.0.1}", description = "Address the HTTP"
                + " server listens on: 127.0.0.1 is this machine only; 0.0.0.0 every interface, for other machines"
                + " (then give the brokers an ingress policy) (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--tls-cert", description = "PEM certificate (with its chain) for HTTPS: --port then serves"
                + " HTTPS only. Reloaded when the file changes (checked every 10 s); needs --tls-key.")
        Path tlsCert;

        @Option(names = "--tls-key", description = "PEM private key of --tls-cert (PKCS#8 or PKCS#1), reloaded with it.")
        Path tlsKey;

        @Option(names = "--data-dir", defaultValue = ".surge",
                description = "Folder of local state: Kafka data, function logs (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--kafka-port", defaultValue = "19092", description = "Port of the embedded Kafka broker (default: ${DEFAULT-VALUE}).")
        int kafkaPort;

        @Option(names = "--kafka-bootstrap-servers", description = "Use this Kafka cluster instead of the embedded broker.")
        String bootstrapServers;

        @Option(names = "--kafka-config", description = "Kafka client properties file (security.protocol, sasl.*,"
                + " ssl.* …) for every producer, consumer and admin client, as Kafka's own tools take it.")
        Path kafkaConfig;

        @Option(names = "--roles", split = ",", description = "Roles of this process, comma-separated: ingress,"
                + " dispatcher, scaler (default: all three).")
        java.util.List<String> roles;

        @Option(names = "--resources", defaultValue = "${env:SURGE_RESOURCES:-file}", description = "Where the resources"
                + " come from: file (the resource file) or kubernetes (the cluster's custom resources, with fabric8's"
                + " usual configuration: in-cluster or KUBECONFIG; needs --kafka-bootstrap-servers)"
                + " (default: ${DEFAULT-VALUE}).")
        String resources;

        @Option(names = "--namespaces", split = ",", description = "With --resources kubernetes: the namespaces to"
                + " watch, comma-separated (default: all).")
        java.util.List<String> namespaces;

        @Option(names = "--no-watch", description = "Do not apply edits of the resource file while running.")
        boolean noWatch;

        @Option(names = "--functions-java", description = "Java launcher for function processes (default: this JVM's);"
                + " with JDK 25+ an app.aot next to a function's quarkus-run.jar is used as its AOT cache.")
        String functionsJava;

        @Override
        public Integer call() {
            // Every option is checked before the resource file is read, and both before anything is set.
            boolean onKubernetes = "kubernetes".equalsIgnoreCase(resources);
            if (!onKubernetes && !"file".equalsIgnoreCase(resources)) {
                throw new ParameterException(spec.commandLine(), "--resources: '" + resources
                        + "' is not a source; use file or kubernetes");
            }
            if (kafkaConfig != null && !java.nio.file.Files.isReadable(kafkaConfig)) {
                throw new ParameterException(spec.commandLine(), "--kafka-config " + kafkaConfig
                        + ": no such readable file");
            }
            for (String r : roles == null ? java.util.List.<String>of() : roles) {
                try {
                    Role.valueOf(r.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--roles: '" + r
                            + "' is not a role; use ingress, dispatcher, scaler");
                }
            }
            if (!onKubernetes && load(file, spec.commandLine().getErr()) == null) {
                return INVALID_RESOURCES;
            }
            if (onKubernetes) {
                System.setProperty("surge.resources", "kubernetes");
                if (namespaces != null) {
                    System.setProperty("surge.kubernetes.namespaces", String.join(",", namespaces));
                }
            }
            System.setProperty("surge.config-file", file.toString());
            System.setProperty("surge.data-dir", dataDir.toString());
            System.setProperty("surge.kafka.port", String.valueOf(kafkaPort));
            System.setProperty("quarkus.http.port", String.valueOf(port));
            System.setProperty("quarkus.http.host", host);
            if ((tlsCert == null) != (tlsKey == null)) {
                System.err.println("surge: " + (tlsCert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key"));
                return 2;
            }
            if (tlsCert != null) {
                for (Path f : List.of(tlsCert, tlsKey)) {
                    if (!java.nio.file.Files.isReadable(f)) {
                        System.err.println("surge: " + (f == tlsCert ? "--tls-cert " : "--tls-key ") + f
                                + ": no such readable file");
                        return 2;
                    }
                }
                // HTTPS on --port and no plain HTTP at all; the TLS registry reads the files again every 10 s and
                // the HTTP server takes what changed, so a renewed certificate (cert-manager, certbot) needs no restart.
                System.setProperty("quarkus.http.ssl-port", String.valueOf(port));
                System.setProperty("quarkus.http.insecure-requests", "disabled");
                System.setProperty("quarkus.tls.key-store.pem.0.cert", tlsCert.toAbsolutePath().toString());
                System.setProperty("quarkus.tls.key-store.pem.0.key", tlsKey.toAbsolutePath().toString());
                System.setProperty("quarkus.tls.reload-period", "10s");
            }
            if (bootstrapServers != null) {
                System.setProperty("surge.kafka.bootstrap-servers", bootstrapServers);
            }
            if (functionsJava != null) {
                System.setProperty("surge.functions.java", functionsJava);
            }
            if (kafkaConfig != null) {
                System.setProperty("surge.kafka.client-properties-file", kafkaConfig.toAbsolutePath().toString());
            }
            if (roles != null) {
                System.setProperty("surge.roles", String.join(",", roles));
            }
            if (noWatch) {
                System.setProperty("surge.watch-interval", "0s");
            }
            Quarkus.run(Running.class);
            return 0;
        }
    }

    @Command(name = "aot-train", mixinStandardHelpOptions = true, versionProvider = SurgeVersion.class,
            description = {"Make an AOT cache (app.aot, JDK 25+) for a function by a training run with the exact"
                    + " command line local mode uses; local mode then starts the function from it.", ""},
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:app.aot was written next to the function's quarkus-run.jar",
                    "1:the training run failed (its output says why)", ExitCodes.HELP_USAGE})
    static class AotTrain implements Callable<Integer> {
        @Parameters(index = "0", description = "The function's built quarkus-app folder.")
        Path app;

        @Option(names = "--functions-java", required = true, description = "Java launcher (25 or newer) of the functions.")
        String java;

        @Option(names = "--data-dir", defaultValue = ".surge", description = "The data folder 'surge up' will use"
                + " (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            return AotTraining.run(java, app, dataDir, System.out) ? 0 : 1;
        }
    }

    /** The resources of {@code file}, or null after printing why it cannot be used. */
    private static ResourceSet load(Path file, java.io.PrintWriter err) {
        try {
            return ResourceLoader.load(file);
        } catch (InvalidResourcesException e) {
            err.println("surge: " + file + " cannot be used:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return null;
        }
    }

    /** Runs until Ctrl-C; {@link SurgeRuntime} did the work on start-up. */
    public static class Running implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }
}
