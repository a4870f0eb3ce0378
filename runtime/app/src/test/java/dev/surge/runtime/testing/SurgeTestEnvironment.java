package dev.surge.runtime.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the runtime's integration tests share: a {@link RecordingSink} for URI triggers and a resource
 * file naming it, the example functions as real processes, and local mode's embedded Kafka with its data
 * under {@code target/}. One Surge instance serves all test classes.
 */
public class SurgeTestEnvironment implements QuarkusTestResourceLifecycleManager {
    public static final String NAMESPACE = "test";
    public static final String BROKER = "events";
    public static final String TOPIC = "surge.test.events";
    public static final String[] FILTER_TRIGGERS = {"by-attributes", "by-exact", "by-prefix", "by-suffix", "by-all",
            "by-any", "by-not", "by-cesql"};

    public static final String DELIVERY_BROKER = "delivery";
    public static final String DELIVERY_TOPIC = "surge.test.delivery";
    public static final String DEAD_LETTER_TOPIC = "surge.test.dead-letters";

    public static final String SCALING_TOPIC = "surge.test.scaling";

    /** A broker of its own for batch tests, whose topic they give a small max.message.bytes. */
    public static final String BATCH_BROKER = "batches";
    public static final String BATCH_TOPIC = "surge.test.batches";

    /** Brokers with a policy of who may post (IngressAuthIT). */
    public static final String TOKENS_BROKER = "tokens-broker";
    public static final String OIDC_BROKER = "oidc-broker";
    public static final String OTHER_OIDC_BROKER = "oidc-other";
    public static final String OPEN_BROKER = "open-broker";
    /** The first line of the tokens broker's token file. */
    public static final String FIRST_TOKEN = "tokens-broker-first-0123456789";

    private static RecordingSink sink;
    private static ScriptedTarget target;
    private static TestingIssuer issuer;
    private static org.jose4j.jwk.PublicJsonWebKey issuerKey;

    public static RecordingSink sink() {
        return sink;
    }

    public static ScriptedTarget target() {
        return target;
    }

    /** The OIDC issuer of {@link #OIDC_BROKER} and {@link #OTHER_OIDC_BROKER}, with its JWKS served over HTTP. */
    public static TestingIssuer issuer() {
        return issuer;
    }

    /** The key the issuer published before Surge started. */
    public static org.jose4j.jwk.PublicJsonWebKey issuerKey() {
        return issuerKey;
    }

    /** The token file of {@link #TOKENS_BROKER}. */
    public static Path tokenFile() {
        return dir().resolve("tokens-broker.tokens");
    }

    @Override
    public Map<String, String> start() {
        Path dir = dir();
        TestFiles.deleteRecursively(dir);
        Path functions = Path.of(System.getProperty("test.functions.dir", "../../functions")).toAbsolutePath().normalize();
        for (String app : new String[] {"greeter", "orders"}) {
            if (!Files.exists(functions.resolve(app).resolve("target/quarkus-app/quarkus-run.jar"))) {
                throw new IllegalStateException("function " + app + " is not built under " + functions
                        + "; run the tests from the repository root: ./mvnw verify");
            }
        }
        try {
            sink = new RecordingSink();
            target = new ScriptedTarget();
            issuer = new TestingIssuer();
            issuerKey = issuer.publish(TestingIssuer.rsaKey("key-1"));
            Files.createDirectories(dir);
            Files.writeString(tokenFile(), "# the tokens broker's\n" + FIRST_TOKEN + "\n");
            Path file = dir.resolve("surge.yaml");
            Files.writeString(file, resources(functions));
            return Map.of(
                    // Every interface, so that IngressAuthIT can call from an address other than loopback.
                    "quarkus.http.host", "0.0.0.0",
                    "surge.config-file", file.toString(),
                    "surge.data-dir", dir.resolve("data").toString(),
                    "surge.ingress.max-request-bytes", String.valueOf(64 * 1024),
                    // BatchAtomicityIT gives a topic max.message.bytes of 20 KiB: producer batches must fit it.
                    "surge.kafka.client.\"batch.size\"", String.valueOf(16 * 1024),
                    // Long enough for a cold start on a busy 2-core machine; FunctionFailureIT waits it out once.
                    "surge.functions.activation-timeout", "15s");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path dir() {
        return Path.of("target", "surge-it").toAbsolutePath();
    }

    private static String resources(Path functions) {
        StringBuilder y = new StringBuilder();
        y.append(doc("Broker", BROKER, "partitions: 3"));
        y.append(doc("Trigger", "all-events", "broker: events\nuri: " + sink.url("/all")));
        String[][] filters = {
                {"by-attributes", "filter: {attributes: {type: test.attr, region: eu}}"},
                {"by-exact", "filters: [{exact: {type: test.exact}}]"},
                {"by-prefix", "filters: [{prefix: {type: test.prefix.}}]"},
                {"by-suffix", "filters: [{exact: {type: test.suffix}}, {suffix: {subject: .pdf}}]"},
                {"by-all", "filters: [{all: [{exact: {type: test.all}}, {exact: {tier: gold}}]}]"},
                {"by-any", "filters: [{any: [{exact: {type: test.any.a}}, {exact: {type: test.any.b}}]}]"},
                {"by-not", "filters: [{prefix: {type: test.not}}, {not: {exact: {type: test.not.skip}}}]"},
                {"by-cesql", "filters: [{cesql: \"type = 'test.cesql' AND amount > 100\"}]"}};
        for (String[] f : filters) {
            y.append(doc("Trigger", f[0], "broker: events\n" + f[1] + "\nuri: " + sink.url("/" + f[0])));
        }
        y.append(doc("Broker", DELIVERY_BROKER, "partitions: 3"));
        String dlq = "deadLetterSink: {topic: " + DEAD_LETTER_TOPIC + "}";
        String[][] delivery = {
                {"flaky", "test.flaky", "/flaky", "{retry: 3, backoffPolicy: exponential, backoffDelay: PT0.2S}"},
                {"poison", "test.poison", "/always-500", "{retry: 2, backoffDelay: PT0.05S, " + dlq + "}"},
                {"rejecting", "test.rejected", "/bad-request", "{retry: 5, backoffDelay: PT0.05S, " + dlq + "}"},
                {"control-chars", "test.control", "/control", "{retry: 2, backoffDelay: PT0.05S, " + dlq + "}"},
                {"timeouts", "test.slow-once", "/slow-once", "{retry: 3, timeout: PT0.5S, backoffDelay: PT0.05S}"},
                {"ordered", "test.ordered", "/ordered", "{ordering: ordered}"},
                {"keyed", "test.keyed", "/keyed", "{ordering: keyed}"},
                {"slow-function", "test.isolation", "/slow", "{}"},
                {"fast-function", "test.isolation", "/fast", "{}"}};
        for (String[] d : delivery) {
            y.append(doc("Trigger", d[0], "broker: " + DELIVERY_BROKER + "\nfilters: [{exact: {type: " + d[1]
                    + "}}]\nuri: " + target.url(d[2]) + "\ndelivery: " + d[3]));
        }
        String greeter = functions.resolve("greeter/target/quarkus-app").toString();
        String orders = functions.resolve("orders/target/quarkus-app").toString();
        y.append(doc("Function", "greeter", "path: " + greeter + "\nenv: {GREETING: Hi}"));
        y.append(doc("Trigger", "greet", "broker: events\nfilters: [{exact: {type: dev.surge.greet}}]\nfunction: greeter"));
        y.append(doc("Broker", BATCH_BROKER, "partitions: 3"));
        y.append(doc("Broker", TOKENS_BROKER, "partitions: 1\ningress: {auth: {mode: tokens, tokens: {file: "
                + tokenFile().getFileName() + "}}}"));
        for (String broker : new String[] {OIDC_BROKER, OTHER_OIDC_BROKER}) {
            y.append(doc("Broker", broker, "partitions: 1\ningress:\n  auth:\n    mode: oidc\n    oidc:\n"
                    + "      issuer: " + TestingIssuer.ISSUER + "\n      audiences: [surge:test/" + broker + "]\n"
                    + "      jwksUri: " + issuer.jwksUri() + "\n"
                    + (broker.equals(OIDC_BROKER) ? "      allow: [{claims: {groups: writers}},"
                            + " {subject: 'system:serviceaccount:test:*'}]\n" : "")));
        }
        y.append(doc("Broker", OPEN_BROKER, "partitions: 1\ningress: {auth: {mode: open}}"));
        y.append(doc("Broker", "scaling", "partitions: 3"));
        y.append(doc("Function", "scaled", "path: " + greeter + "\nenv: {GREETING: Hi, GREETING_WORK: PT0.05S}"
                + "\nconcurrency: 4\nscaling: {maxReplicas: 3, lagThreshold: 50, cooldownPeriod: PT3S,"
                + " pollingInterval: PT0.25S, stabilizationWindow: PT1S}"));
        y.append(doc("Trigger", "scale-greet", "broker: scaling\nfilters: [{exact: {type: dev.surge.greet}}]"
                + "\nfunction: scaled"));
        // A function whose process cannot start: its path is a file, but not a jar.
        y.append(doc("Function", "broken", "path: " + dir().resolve("surge.yaml")));
        String[][] chain = {{"payment", "shop.order.placed"}, {"inventory", "shop.payment.completed"},
                {"confirmation", "shop.inventory.reserved"}};
        for (String[] step : chain) {
            y.append(doc("Function", step[0], "path: " + orders));
            y.append(doc("Trigger", step[0] + "-step", "broker: events\nfilters: [{exact: {type: " + step[1]
                    + "}}]\nfunction: " + step[0]));
        }
        return y.toString();
    }

    private static String doc(String kind, String name, String spec) {
        return "apiVersion: surge.dev/v1alpha1\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: "
                + NAMESPACE + "}\nspec:\n  " + spec.replace("\n", "\n  ") + "\n---\n";
    }

    @Override
    public void stop() {
        try {
            if (sink != null) {
                sink.close();
            }
            if (target != null) {
                target.close();
            }
            if (issuer != null) {
                issuer.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
