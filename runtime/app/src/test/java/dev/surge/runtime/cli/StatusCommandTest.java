package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code surge status} against a real HTTP server answering what a running Surge answers (the shapes of
 * {@code GET /brokers}, {@code /triggers}, {@code /functions}; {@code CliIT} reads the real ones).
 */
class StatusCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String BROKERS = """
            [ {"namespace": "demo", "name": "default", "path": "/demo/default", "topic": "surge.demo.default",
               "partitions": 3, "replicationFactor": 1, "retention": "PT168H", "acceptsEvents": true},
              {"namespace": "shop", "name": "orders", "path": "/shop/orders", "topic": "surge.shop.orders",
               "partitions": 1, "replicationFactor": 1, "retention": "PT168H", "acceptsEvents": true} ]""";
    static final String TRIGGERS = """
            [ {"namespace": "demo", "name": "greet", "broker": "default", "target": "function greeter",
               "consumerGroup": "surge.demo.greet", "state": "RUNNING", "restarts": 0,
               "assignedPartitions": ["surge.demo.default-0"], "matchedBacklog": 4, "inFlight": 2, "delivered": 120,
               "deadLettered": {}},
              {"namespace": "demo", "name": "audit", "broker": "default", "target": "http://audit.test/in",
               "consumerGroup": "surge.demo.audit", "state": "RESTARTING", "restarts": 3,
               "lastError": "org.apache.kafka.common.KafkaException: broker exploded",
               "lastErrorAt": "2026-11-24T10:00:00Z", "assignedPartitions": [], "matchedBacklog": 0, "inFlight": 0,
               "delivered": 7, "deadLettered": {"topic": 2, "failed": 1}},
              {"namespace": "shop", "name": "placed", "broker": "orders", "target": "function payment",
               "consumerGroup": "surge.shop.placed", "state": "RUNNING", "restarts": 0, "assignedPartitions": [],
               "matchedBacklog": 0, "inFlight": 0, "delivered": 0, "deadLettered": {}} ]""";
    static final String FUNCTIONS = """
            [ {"namespace": "demo", "name": "greeter", "replicas": 2, "readyReplicas": 1, "inFlight": 2,
               "ports": [40001, 40002], "pids": [11, 12], "restarts": 0, "stopped": false,
               "log": "/data/functions/demo.greeter.log", "backlog": 4,
               "lastDecision": {"replicas": 2, "reason": "scale up: lag 4 / lagThreshold 2 → 2", "at": "2026-11-24T10:00:01Z"},
               "scaling": {"minReplicas": 0, "maxReplicas": 5}},
              {"namespace": "shop", "name": "payment", "replicas": 0, "readyReplicas": 0, "inFlight": 0, "ports": [],
               "pids": [], "restarts": 21, "lastExitCode": 1, "lastExit": "2026-11-24T09:59:00Z", "stopped": true,
               "failure": "crashed 21 times in 10 minutes", "log": "/data/functions/shop.payment.log",
               "scaling": {"minReplicas": 0, "maxReplicas": 5}} ]""";

    FakeSurge surge;

    @BeforeEach
    void start() throws Exception {
        surge = new FakeSurge().answer("GET", "/brokers", 200, "application/json", BROKERS)
                .answer("GET", "/triggers", 200, "application/json", TRIGGERS)
                .answer("GET", "/functions", 200, "application/json", FUNCTIONS);
    }

    @AfterEach
    void stop() {
        surge.close();
    }

    @Test
    void aTokenGoesWithEachOfTheThreeReads() {
        CliRun r = CliRun.run(new StatusCommand(), "--url", surge.url(), "--token", "admin-token-0123456789");

        assertThat(r.exitCode()).isZero();
        assertThat(surge.requests()).extracting(q -> q.path() + " " + q.headers().get("authorization"))
                .containsExactlyInAnyOrder("/brokers Bearer admin-token-0123456789",
                        "/triggers Bearer admin-token-0123456789", "/functions Bearer admin-token-0123456789");
    }

    @Test
    void printsBrokersTriggersAndFunctionsAsTables() {
        CliRun r = CliRun.run(new StatusCommand(), "--url", surge.url());

        assertThat(r.exitCode()).isZero();
        String u = surge.url();
        assertThat(r.out()).isEqualTo("Surge at " + u + "\n\n" + """
                BROKERS
                NAMESPACE  NAME     READY  ADDRESS%s  TOPIC
                demo       default  True   %s/demo/default  surge.demo.default
                shop       orders   True   %s/shop/orders   surge.shop.orders

                TRIGGERS
                NAMESPACE  NAME    BROKER   TARGET                STATE       LAG  IN FLIGHT  DELIVERED  DEAD-LETTERED  RESTARTS  MESSAGE
                demo       greet   default  function greeter      RUNNING     4    2          120        0              0         -
                demo       audit   default  http://audit.test/in  RESTARTING  0    0          7          2 (1 failed)   3         org.apache.kafka.common.KafkaException: broker exploded
                shop       placed  orders   function payment      RUNNING     0    0          0          0              0         -

                FUNCTIONS
                NAMESPACE  NAME     REPLICAS  READY  LAG  DESIRED  LAST DECISION                         MESSAGE
                demo       greeter  2         1      4    2        scale up: lag 4 / lagThreshold 2 → 2  -
                shop       payment  0         0      -    -        -                                     stopped: crashed 21 times in 10 minutes
                """.formatted(" ".repeat(u.length() + "/demo/default".length() - "ADDRESS".length()), u, u));
    }

    @Test
    void namespaceShowsOnlyItsRows() {
        CliRun r = CliRun.run(new StatusCommand(), "--url", surge.url(), "-n", "shop");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("namespace shop").contains("orders").contains("placed").contains("payment")
                .doesNotContain("greeter").doesNotContain("surge.demo.default");
    }

    @Test
    void jsonOutputHasTheSameRowsForScripts() throws Exception {
        CliRun r = CliRun.run(new StatusCommand(), "--url", surge.url(), "-o", "json");

        assertThat(r.exitCode()).isZero();
        JsonNode s = JSON.readTree(r.out());
        assertThat(s.get("source").asText()).isEqualTo(surge.url());
        assertThat(s.get("brokers").get(0).get("address").asText()).isEqualTo(surge.url() + "/demo/default");
        JsonNode audit = s.get("triggers").get(1);
        assertThat(audit.get("name").asText()).isEqualTo("audit");
        assertThat(audit.get("delivered").asLong()).isEqualTo(7);
        assertThat(audit.get("deadLettered").get("topic").asLong()).isEqualTo(2);
        assertThat(audit.get("restarts").asInt()).isEqualTo(3);
        JsonNode greeter = s.get("functions").get(0);
        assertThat(greeter.get("replicas").asInt()).isEqualTo(2);
        assertThat(greeter.get("readyReplicas").asInt()).isEqualTo(1);
        assertThat(greeter.get("lag").asLong()).isEqualTo(4);
        assertThat(greeter.get("desiredReplicas").asInt()).isEqualTo(2);
        assertThat(greeter.get("decidedAt").asText()).isEqualTo("2026-11-24T10:00:01Z");
        assertThat(s.get("functions").get(1).get("message").asText()).isEqualTo("stopped: crashed 21 times in 10 minutes");
    }

    @Test
    void aProcessWithoutFunctionsShowsNone() {
        surge.answer("GET", "/functions", 404, "application/problem+json", "{\"title\":\"No functions here\"}");
        CliRun r = CliRun.run(new StatusCommand(), "--url", surge.url());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).endsWith("FUNCTIONS\n(none)\n");
    }

    @Test
    void aFailingEndpointExitsWithFourAndSaysWhichOne() {
        surge.answer("GET", "/triggers", 503, "application/problem+json", "{\"detail\":\"starting\"}");
        CliRun r = CliRun.run(new StatusCommand(), "--url", surge.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("GET " + surge.url() + "/triggers answered 503 Service Unavailable: starting");
    }

    @Test
    void anUnreachableSurgeExitsWithFour() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.run(new StatusCommand(), "--url", "http://127.0.0.1:" + port);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("cannot reach Surge at http://127.0.0.1:" + port).contains("surge up");
    }

    @Test
    void badArgumentsExitWithTwo() {
        CliRun format = CliRun.run(new StatusCommand(), "--url", surge.url(), "-o", "yaml");
        assertThat(format.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(format.err()).contains("'yaml' is not an output format; use table or json");

        CliRun context = CliRun.run(new StatusCommand(), "--url", surge.url(), "--context", "kind-surge");
        assertThat(context.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(context.err()).contains("--context is for a cluster: give --kubernetes too");

        CliRun surgeNamespace = CliRun.run(new StatusCommand(), "--url", surge.url(), "--surge-namespace", "surge");
        assertThat(surgeNamespace.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(surgeNamespace.err()).contains("--surge-namespace is for a cluster: give --kubernetes too");
    }

    @Test
    void helpListsEveryOptionAndTheExitCodes() {
        CliRun r = CliRun.run(new StatusCommand(), "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: status", "-k, --kubernetes", "-n, --namespace=NAMESPACE",
                "-o, --output=FORMAT", "--url=URL", "--context=CONTEXT", "--surge-namespace=NAMESPACE",
                "--timeout=DURATION", "Exit codes:",
                "0   done (on a cluster also when only the trigger counts are unknown", "2   bad arguments",
                "3   Surge or the cluster refused", "4   Surge or the cluster not");
    }
}
