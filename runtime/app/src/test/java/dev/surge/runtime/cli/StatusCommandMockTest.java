package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.kubernetes.api.Broker;
import dev.surge.kubernetes.api.BrokerStatus;
import dev.surge.kubernetes.api.FunctionStatus;
import dev.surge.kubernetes.api.Trigger;
import dev.surge.kubernetes.api.TriggerStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code surge status --kubernetes} against fabric8's mock API server (CRUD mode) holding Surge's resources. */
@EnableKubernetesMockClient(crud = true)
class StatusCommandMockTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeEach
    void resources() {
        client.resources(Broker.class).inAnyNamespace().delete();
        client.resources(Trigger.class).inAnyNamespace().delete();
        client.resources(dev.surge.kubernetes.api.Function.class).inAnyNamespace().delete();

        Broker broker = new Broker();
        broker.setMetadata(new ObjectMetaBuilder().withNamespace("demo").withName("default").build());
        BrokerStatus bs = new BrokerStatus();
        bs.setAddress("http://surge-ingress.surge.svc/demo/default");
        bs.setTopic("surge.demo.default");
        bs.setConditions(List.of(ready("True", "TopicReady", "")));
        broker.setStatus(bs);
        client.resource(broker).create();

        Trigger greet = new Trigger();
        greet.setMetadata(new ObjectMetaBuilder().withNamespace("demo").withName("greet").build());
        greet.getSpec().setBroker("default");
        greet.getSpec().setFunction("greeter");
        TriggerStatus ts = new TriggerStatus();
        ts.setLag(42L);
        ts.setConsumerGroup("surge.demo.greet");
        ts.setConditions(List.of(ready("True", "Ready", "")));
        greet.setStatus(ts);
        client.resource(greet).create();

        Trigger orphan = new Trigger();
        orphan.setMetadata(new ObjectMetaBuilder().withNamespace("other").withName("orphan").build());
        orphan.getSpec().setBroker("missing");
        orphan.getSpec().setUri("http://sink.other.svc/");
        TriggerStatus os = new TriggerStatus();
        os.setConditions(List.of(ready("False", "BrokerMissing", "no Broker 'missing' in namespace other")));
        orphan.setStatus(os);
        client.resource(orphan).create();

        var greeter = new dev.surge.kubernetes.api.Function();
        greeter.setMetadata(new ObjectMetaBuilder().withNamespace("demo").withName("greeter").build());
        greeter.getSpec().setImage("ghcr.io/acme/greeter:1.0");
        FunctionStatus fs = new FunctionStatus();
        fs.setReplicas(3);
        fs.setReadyReplicas(2);
        fs.setLag(42L);
        fs.setLastScaleTime("2026-11-24T10:00:00Z");
        fs.setLastScaleReason("scale up: lag 42 / lagThreshold 10 → 5, capped at maxReplicas 3");
        fs.setConditions(List.of(ready("False", "ReplicasNotReady", "2 of 3 replicas ready")));
        greeter.setStatus(fs);
        client.resource(greeter).create();
    }

    private static Condition ready(String status, String reason, String message) {
        return new ConditionBuilder().withType("Ready").withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime("2026-11-24T10:00:00Z").build();
    }

    private static StatusCommand command() {
        StatusCommand c = new StatusCommand();
        c.cluster.clients = (context, timeout) -> server.createClient(); // the command closes the client it opened
        return c;
    }

    @Test
    void showsTheStatusOfEveryNamespacesResources() {
        CliRun r = CliRun.run(command(), "--kubernetes");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Cluster " + client.getMasterUrl());
        assertThat(r.out()).containsPattern("demo +default +True +http://surge-ingress.surge.svc/demo/default"
                + " +surge.demo.default");
        assertThat(r.out()).containsPattern("demo +greet +default +function greeter +Ready +42 +- +- +- +-");
        assertThat(r.out()).containsPattern("other +orphan +missing +http://sink.other.svc/ +NotReady +- .*"
                + "BrokerMissing: no Broker 'missing' in namespace other");
        assertThat(r.out()).containsPattern("demo +greeter +3 +2 +42 +- +scale up: lag 42 / lagThreshold 10 → 5,"
                + " capped at maxReplicas 3 +ReplicasNotReady: 2 of 3 replicas ready");
        // no dispatcher pod on this cluster: the counts are unknown, the rest printed, and one note says why
        assertThat(r.out()).contains("IN FLIGHT, DELIVERED, DEAD-LETTERED and RESTARTS are unknown (-)");
        assertThat(r.err()).isEqualTo("surge status: trigger counts unknown (-): no running dispatcher pod (labels"
                + " app.kubernetes.io/name=surge, app.kubernetes.io/component=dispatcher) in any namespace\n");
    }

    @Test
    void namespaceListsOnlyThatNamespaceAsJson() throws Exception {
        CliRun r = CliRun.run(command(), "--kubernetes", "-n", "other", "-o", "json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode s = JSON.readTree(r.out());
        assertThat(s.get("brokers")).isEmpty();
        assertThat(s.get("functions")).isEmpty();
        assertThat(s.get("triggers")).hasSize(1);
        JsonNode orphan = s.get("triggers").get(0);
        assertThat(orphan.get("name").asText()).isEqualTo("orphan");
        assertThat(orphan.get("state").asText()).isEqualTo("NotReady");
        assertThat(orphan.has("delivered")).as("no dispatcher pod answered").isFalse();
        assertThat(s.get("counts").get("known").asBoolean()).isFalse();
        assertThat(s.get("counts").get("problems").get(0).asText()).startsWith("no running dispatcher pod");
    }

    @Test
    void anUnreachableClusterExitsWithFour() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:" + port)
                .withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build();
        StatusCommand c = new StatusCommand();
        c.cluster.clients = (context, timeout) -> new KubernetesClientBuilder().withConfig(config).build();

        CliRun r = CliRun.run(c, "--kubernetes");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("cannot reach the cluster at https://127.0.0.1:" + port).contains("KUBECONFIG");
    }
}
