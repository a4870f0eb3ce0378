package dev.surge.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** {@code surge status}: brokers, triggers and functions of a running Surge or of a cluster. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "dev.surge.runtime.cli.StatusCommand",
        description = {"Show brokers (address, topic), triggers (state, lag, in flight, delivered, dead-lettered,"
                + " restarts) and functions (replicas, ready, lag, the scaler's last decision and why).",
                "Reads a running 'surge up' (its HTTP port), or with --kubernetes the status of the custom resources"
                        + " on a cluster and the counts of helm/surge's dispatcher pods, summed (through the API"
                        + " server's pod proxy: needs 'list' on pods and 'get' on pods/proxy in Surge's namespace;"
                        + " without them the counts are '-', a note says why, and the exit code stays 0).",
                ""},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.HELP_OK + " (on a cluster also when only the trigger counts are unknown: a note on"
                + " standard error says why)", ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE,
                "3:Surge or the cluster refused (e.g. 403 Forbidden, no Surge resources installed)",
                "4:Surge or the cluster not reachable, or a 5xx answer"})
public class StatusCommand extends CliCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ClusterOptions.LocalOrCluster cluster = new ClusterOptions.LocalOrCluster();

    @Option(names = "--surge-namespace", paramLabel = "NAMESPACE", description = "With --kubernetes: where helm/surge"
            + " runs, to find its dispatcher pods (default: every namespace).")
    String surgeNamespace;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            converter = Format.Converter.class, description = "table or json (default: ${DEFAULT-VALUE}).")
    Format output;

    @Option(names = "--url", defaultValue = "${env:SURGE_URL:-" + RuntimeEndpoint.DEFAULT_URL + "}", paramLabel = "URL",
            description = RuntimeEndpoint.URL_HELP)
    String url;

    @Option(names = "--token", defaultValue = "${env:SURGE_TOKEN}", paramLabel = "TOKEN",
            description = RuntimeEndpoint.TOKEN_HELP)
    String token;

    enum Format {
        TABLE, JSON;

        static final class Converter implements ITypeConverter<Format> {
            @Override
            public Format convert(String value) {
                try {
                    return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException("'" + value + "' is not an output format; use table or json");
                }
            }
        }
    }

    @Override
    int run() throws JsonProcessingException {
        StatusReport report = cluster.kubernetes ? fromCluster() : fromRuntime().inNamespace(cluster.namespace);
        if (output == Format.JSON) {
            out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            out().println((cluster.kubernetes ? "Cluster " : "Surge at ") + report.source()
                    + (cluster.namespace == null ? "" : ", namespace " + cluster.namespace) + "\n");
            out().print(StatusTables.render(report));
        }
        if (report.counts() != null && !report.counts().known()) {
            // The rest is read and printed: the counts alone are missing, which the table shows and this says why.
            err().println("surge status: trigger counts unknown (-): " + String.join("; ", report.counts().problems()));
        }
        return ExitCodes.OK;
    }

    private StatusReport fromRuntime() {
        cluster.checkLocal(spec);
        if (surgeNamespace != null) {
            throw new ParameterException(spec.commandLine(), "--surge-namespace is for a cluster: give --kubernetes too");
        }
        try {
            return LocalStatus.read(RuntimeEndpoint.at(url, cluster.timeout, token));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url: " + e.getMessage());
        }
    }

    private StatusReport fromCluster() {
        KubernetesClient client = null;
        try {
            client = cluster.open();
            return ClusterStatus.read(client, cluster.namespace, surgeNamespace);
        } catch (KubernetesClientException e) {
            throw ClusterAccess.failure(client, e, "list Surge's resources");
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }
}
