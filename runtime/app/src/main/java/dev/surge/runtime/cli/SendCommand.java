package dev.surge.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code surge send}: posts one CloudEvent to a broker's ingress and prints the answer; the exit code follows it. */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Post one CloudEvent to a broker and print Surge's answer (status line and body).",
                "A 2xx answer goes to standard output, any other to standard error.",
                "",
                "Examples:",
                "  surge send --type dev.surge.greet --data '{\"name\":\"Ada\"}'",
                "  surge send --type shop.order.placed -e partitionkey=o-1 --mode structured \\",
                "      --data-file order.json",
                "  echo hi | surge send --type test.text --content-type text/plain --data-file -",
                ""},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.HELP_OK + " (a 2xx answer: the event is stored in Kafka)",
                ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE,
                "3:Surge refused the event (4xx: invalid event, unknown broker, too large …)",
                "4:Surge not reachable, no answer in time, or 5xx (e.g. 503 while Kafka is away): retry"})
public class SendCommand extends CliCommand {
    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "The event's type, e.g."
            + " dev.surge.greet.")
    String type;

    @Option(names = "--source", defaultValue = "surge-cli", paramLabel = "URI-REF",
            description = "The event's source (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--id", paramLabel = "ID", description = "The event's id (default: a random UUID).")
    String id;

    @Option(names = "--subject", paramLabel = "SUBJECT", description = "The event's subject.")
    String subject;

    @Option(names = {"-e", "--extension"}, paramLabel = "NAME=VALUE", description = "An extension attribute"
            + " (repeatable), e.g. -e partitionkey=order-1 -e region=eu.")
    List<String> extensions = new ArrayList<>();

    @ArgGroup(exclusive = true)
    DataOption data;

    static final class DataOption {
        @Option(names = {"-d", "--data"}, paramLabel = "DATA", required = true, description = "The data, as text.")
        String text;

        @Option(names = "--data-file", paramLabel = "FILE", required = true, description = "Read the data from FILE;"
                + " - reads standard input.")
        String file;
    }

    @Option(names = "--content-type", paramLabel = "MEDIA-TYPE", description = "Media type of the data"
            + " (datacontenttype; default: application/json when there is data).")
    String contentType;

    @Option(names = "--mode", defaultValue = "binary", paramLabel = "MODE", converter = ContentMode.Converter.class,
            description = "Content mode: binary (ce- headers), structured (one JSON document) or batched (a JSON array"
                    + " of one event) (default: ${DEFAULT-VALUE}).")
    ContentMode mode;

    @Option(names = {"-b", "--broker"}, paramLabel = "NAMESPACE/NAME", description = "The broker; a name alone is in"
            + " namespace default (default: the only broker of the Surge at --url).")
    String broker;

    @Option(names = "--url", defaultValue = "${env:SURGE_URL:-" + RuntimeEndpoint.DEFAULT_URL + "}", paramLabel = "URL",
            description = RuntimeEndpoint.URL_HELP)
    String url;

    @Option(names = "--token", defaultValue = "${env:SURGE_TOKEN}", paramLabel = "TOKEN",
            description = RuntimeEndpoint.TOKEN_HELP)
    String token;

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest wait for the answer, e.g. 500ms, 30s (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = {"-v", "--verbose"}, description = "Print the request on standard error before sending it.")
    boolean verbose;

    /** Standard input, for {@code --data-file -}; tests replace it. */
    InputStream stdin = System.in;

    @Override
    int run() {
        RuntimeEndpoint endpoint;
        try {
            endpoint = RuntimeEndpoint.at(url, timeout, token);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url: " + e.getMessage());
        }
        OutgoingEvent event;
        OutgoingEvent.HttpRequestParts request;
        try {
            byte[] bytes = data();
            event = new OutgoingEvent(id == null ? UUID.randomUUID().toString() : id, source, type, subject,
                    OutgoingEvent.extensions(extensions),
                    bytes == null ? null : contentType == null ? "application/json" : contentType, bytes);
            request = event.request(mode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String path = brokerPath(endpoint);
        if (verbose) {
            err().println("> POST " + endpoint.uri(path));
            if (token != null && !token.isBlank()) {
                err().println("> authorization: Bearer …"); // never the token itself
            }
            request.headers().forEach((name, value) -> err().println("> " + name + ": " + value));
            err().println(">");
            if (request.body().length > 0) {
                err().println(new String(request.body(), StandardCharsets.UTF_8));
            }
        }
        RuntimeEndpoint.Answer answer = endpoint.post(path, request.headers(), request.body());
        int code = ExitCodes.ofStatus(answer.status());
        var to = code == ExitCodes.OK ? out() : err();
        to.println(answer.statusLine() + (code == ExitCodes.OK ? " (event " + event.id() + " to " + path.substring(1)
                + ")" : ""));
        if (answer.body().length > 0) {
            to.println(answer.text().stripTrailing());
        }
        return code;
    }

    private byte[] data() {
        if (data == null) {
            return null;
        }
        if (data.text != null) {
            return data.text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            if (data.file.equals("-")) {
                return stdin.readAllBytes();
            }
            Path file = Path.of(data.file);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("--data-file " + data.file + ": no such readable file");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILED, "--data-file " + data.file + ": " + e.getMessage(), e);
        }
    }

    /** {@code /<namespace>/<broker>}: from {@code --broker}, or the only broker Surge has. */
    private String brokerPath(RuntimeEndpoint endpoint) {
        if (broker != null) {
            String[] parts = broker.split("/", -1);
            if (parts.length > 2 || parts[parts.length - 1].isBlank() || parts.length == 2 && parts[0].isBlank()) {
                throw new ParameterException(spec.commandLine(), "--broker '" + broker + "': write NAMESPACE/NAME,"
                        + " e.g. demo/default, or a name alone for namespace default");
            }
            String namespace = parts.length == 2 ? parts[0] : "default";
            return "/" + encodeSegment(namespace) + "/" + encodeSegment(parts[parts.length - 1]);
        }
        RuntimeEndpoint.Answer a = endpoint.get("/brokers");
        if (a.status() == 404) {
            throw new ParameterException(spec.commandLine(), "--broker: " + endpoint.base() + " does not list its"
                    + " brokers (GET /brokers answered 404); name the broker with --broker NAMESPACE/NAME");
        }
        JsonNode brokers = endpoint.json("/brokers", a);
        List<String> names = new ArrayList<>();
        brokers.forEach(b -> names.add(b.path("namespace").asText() + "/" + b.path("name").asText()));
        if (names.isEmpty()) {
            throw new CliFailure(ExitCodes.REFUSED, "Surge at " + endpoint.base() + " has no broker to send to");
        }
        if (names.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--broker: Surge at " + endpoint.base() + " has "
                    + names.size() + " brokers (" + String.join(", ", names) + "); name one with --broker");
        }
        return "/" + names.get(0).split("/")[0] + "/" + names.get(0).split("/")[1];
    }

    private static String encodeSegment(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
