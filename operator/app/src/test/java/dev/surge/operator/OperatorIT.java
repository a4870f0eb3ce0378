package dev.surge.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.surge.kafka.EmbeddedKafka;
import dev.surge.kubernetes.api.Broker;
import dev.surge.kubernetes.api.DnsLabelNames;
import dev.surge.kubernetes.api.BrokerSpec;
import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.FunctionScaling;
import dev.surge.kubernetes.api.FunctionSpec;
import dev.surge.kubernetes.api.SurgeCrds;
import dev.surge.kubernetes.api.SurgeStatus;
import dev.surge.kubernetes.api.Trigger;
import dev.surge.kubernetes.api.TriggerSpec;
import dev.surge.kubetest.RealApiServer;
import dev.surge.operator.function.ActivationRequest;
import dev.surge.operator.status.Conditions;
import dev.surge.operator.workload.FunctionWorkload;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import dev.surge.core.scaling.PartitionBacklog;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator against a real kube-apiserver (1.20.2) and a real Kafka broker, running under its own ServiceAccount
 * token with exactly the rules of helm/surge/files/rbac/operator.yaml: a verb missing there fails these tests.
 * The server has no controller-manager: no pods run and nothing is garbage-collected, so ownership is asserted
 * through owner references.
 */
class OperatorIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final String OPERATOR_NAMESPACE = "surge-system";
    static final String SERVICE_ACCOUNT = "surge-operator";
    static final URI INGRESS = URI.create("http://surge-ingress.surge-system.svc");

    static KubernetesClient admin;
    static EmbeddedKafka kafka;
    static Admin kafkaAdmin;
    static SurgeOperator operator;
    static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        admin = api.client();
        SurgeCrds.install(admin, Duration.ofSeconds(60));
        namespace(OPERATOR_NAMESPACE);
        bindOperatorRbac();
        KubernetesClient asOperator = api.clientAs(OPERATOR_NAMESPACE, SERVICE_ACCOUNT);

        Path kafkaData = Path.of("target", "kafka", OperatorIT.class.getSimpleName());
        deleteRecursively(kafkaData); // a fresh broker: topics of an earlier run would hide what the operator creates
        kafka = EmbeddedKafka.start(kafkaData, 0);
        kafkaAdmin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        operator = SurgeOperator.start(asOperator, Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new SurgeOperator.Settings(Set.of(),
                        Optional.of(new SurgeOperator.Lease("surge-operator", Optional.of(OPERATOR_NAMESPACE), false)),
                        INGRESS, Duration.ofSeconds(10)),
                registry, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        try {
            if (operator != null) {
                operator.close();
            }
        } finally {
            try {
                if (kafkaAdmin != null) {
                    kafkaAdmin.close();
                }
            } finally {
                if (kafka != null) {
                    kafka.close();
                }
            }
        }
    }

    static void bindOperatorRbac() throws Exception {
        OperatorRbac.bind(admin, OPERATOR_NAMESPACE, SERVICE_ACCOUNT);
    }

    @Test
    void brokerFunctionAndTriggerBecomeTopicDeploymentServiceAndStatus() throws Exception {
        String ns = namespace("shop");
        create(broker(ns, "default", 3));
        Function function = create(function(ns, "greeter", "ghcr.io/acme/greeter:1.0", 0, 5));
        create(trigger(ns, "greet", "default", "greeter"));

        Deployment deployment = await().atMost(60, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("greeter").get(), d -> d != null);
        Service service = await().atMost(60, TimeUnit.SECONDS).until(
                () -> admin.services().inNamespace(ns).withName("greeter").get(), s -> s != null);
        String uid = admin.resources(Function.class).inNamespace(ns).withName("greeter").get().getMetadata().getUid();
        for (HasMetadata owned : List.of(deployment, service)) {
            OwnerReference owner = owned.getMetadata().getOwnerReferences().get(0);
            assertThat(owned.getMetadata().getOwnerReferences()).hasSize(1);
            assertThat(owner.getKind()).isEqualTo("Function");
            assertThat(owner.getApiVersion()).isEqualTo("surge.dev/v1alpha1");
            assertThat(owner.getUid()).isEqualTo(uid);
            assertThat(owner.getController()).isTrue();
            assertThat(owned.getMetadata().getLabels()).containsEntry(FunctionWorkload.LABEL_FUNCTION, "greeter")
                    .containsEntry(FunctionWorkload.LABEL_MANAGED_BY, "surge");
        }
        // minReplicas 0 and no event yet: created at zero, not with the default of one
        assertThat(deployment.getSpec().getReplicas()).isZero();
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("ghcr.io/acme/greeter:1.0");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getEnv()).anyMatch(e -> e.getName().equals("GREETING") && e.getValue().equals("Hello"));
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);

        Condition functionReady = awaitReady(Function.class, ns, "greeter", "True");
        assertThat(functionReady.getReason()).isEqualTo("ScaledToZero");
        Function read = admin.resources(Function.class).inNamespace(ns).withName("greeter").get();
        assertThat(read.getStatus().getObservedGeneration()).isEqualTo(read.getMetadata().getGeneration());
        assertThat(read.getStatus().getReplicas()).isZero();
        assertThat(read.getStatus().getReadyReplicas()).isZero();

        awaitReady(Broker.class, ns, "default", "True");
        Broker broker = admin.resources(Broker.class).inNamespace(ns).withName("default").get();
        assertThat(broker.getStatus().getAddress()).isEqualTo("http://surge-ingress.surge-system.svc/shop/default");
        assertThat(broker.getStatus().getTopic()).isEqualTo("surge.shop.default");
        assertThat(partitions("surge.shop.default")).isEqualTo(3);

        awaitReady(Trigger.class, ns, "greet", "True");
        assertThat(admin.resources(Trigger.class).inNamespace(ns).withName("greet").get().getStatus().getConsumerGroup())
                .isEqualTo("surge.shop.greet");

        awaitEvent(ns, "greeter", "ScaledToZero");
        awaitEvent(ns, "default", "TopicCreated");
        assertThat(function.getMetadata().getName()).isEqualTo("greeter");
    }

    @Test
    void aUsersEditOfTheImageIsSetBackAndAManualScaleIsSetBackByTheScaler() {
        String ns = namespace("edits");
        create(function(ns, "resizer", "ghcr.io/acme/resizer:1.0", 0, 5));
        await().atMost(60, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("resizer").get(), d -> d != null);
        awaitReady(Function.class, ns, "resizer", "True");

        // as `kubectl scale` and `kubectl set image` would: writes by another field manager
        mergePatch(admin.apps().deployments().inNamespace(ns).withName("resizer"), "{\"spec\":{\"replicas\":3}}");
        admin.apps().deployments().inNamespace(ns).withName("resizer").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"evil/miner:latest\"}]");
        // the user's image reached the server (and the operator's informer) before it was set back
        assertThat(admin.apps().deployments().inNamespace(ns).withName("resizer").get().getMetadata().getManagedFields())
                .anyMatch(m -> !m.getManager().startsWith("surge-") && "Update".equals(m.getOperation()));

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Deployment d = admin.apps().deployments().inNamespace(ns).withName("resizer").get();
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("ghcr.io/acme/resizer:1.0");
        });
        // The scaler owns replicas (as an HPA does): with no backlog, 3 is cooled down to 1 at its next poll (and
        // to 0 after the cooldown), and says so.
        await().atMost(30, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("resizer").get().getSpec().getReplicas(),
                r -> r < 3);
        await().atMost(30, TimeUnit.SECONDS).until(() -> admin.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "resizer".equals(e.getInvolvedObject().getName()) && "Scaled".equals(e.getReason())
                        && e.getMessage().startsWith("replicas 3 → 1: cooling down")));
    }

    @Test
    void fieldsAUserAddsToThePodSpecAreRemovedWhileARolloutRestartStays() {
        String ns = namespace("additions");
        create(function(ns, "hardened", "ghcr.io/acme/hardened:1.0", 0, 2));
        await().atMost(60, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("hardened").get(), d -> d != null);
        awaitReady(Function.class, ns, "hardened", "True");

        // fields the operator never sets, added as `kubectl patch` would: server-side apply alone would keep them
        admin.apps().deployments().inNamespace(ns).withName("hardened").patch(PatchContext.of(PatchType.JSON), """
                [{"op":"add","path":"/spec/template/spec/containers/0/env/-","value":{"name":"INJECTED","value":"1"}},
                 {"op":"add","path":"/spec/template/spec/containers/0/securityContext/capabilities/add","value":["NET_ADMIN"]},
                 {"op":"add","path":"/spec/template/spec/hostNetwork","value":true},
                 {"op":"add","path":"/spec/template/metadata/annotations","value":{"kubectl.kubernetes.io/restartedAt":"now"}}]""");

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Deployment d = admin.apps().deployments().inNamespace(ns).withName("hardened").get();
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(env(ns, "hardened")).doesNotContain("INJECTED");
        });
        Deployment d = admin.apps().deployments().inNamespace(ns).withName("hardened").get();
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("kubectl.kubernetes.io/restartedAt", "now");
        assertThat(d.getSpec().getReplicas()).isZero();
    }

    @Test
    void whatAUserRemovesFromAFunctionIsRemovedFromItsDeployment() {
        String ns = namespace("removals");
        Function fn = function(ns, "trimmed", "ghcr.io/acme/trimmed:1.0", 0, 2);
        fn.getSpec().setEnv(Map.of("GREETING", "Hello", "SECRET_TOKEN", "s3cr3t"));
        create(fn);
        await().atMost(60, TimeUnit.SECONDS).until(() -> env(ns, "trimmed").contains("SECRET_TOKEN"));
        awaitReady(Function.class, ns, "trimmed", "True");

        Function edited = admin.resources(Function.class).inNamespace(ns).withName("trimmed").get();
        edited.getSpec().setEnv(Map.of("GREETING", "Hello"));
        admin.resource(edited).update();

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(env(ns, "trimmed")).contains("GREETING").doesNotContain("SECRET_TOKEN"));
        // and the scaler still owns replicas: created at 0, still 0, not the API server's default of 1
        assertThat(admin.apps().deployments().inNamespace(ns).withName("trimmed").get().getSpec().getReplicas()).isZero();
    }

    private static List<String> env(String ns, String name) {
        Deployment d = admin.apps().deployments().inNamespace(ns).withName(name).get();
        return d == null ? List.of() : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .map(io.fabric8.kubernetes.api.model.EnvVar::getName).toList();
    }

    @Test
    void anActivationRequestStartsAFunctionAtZeroWithoutWaitingForAPoll() {
        String ns = namespace("activation");
        // polled once when created, then not for an hour: only the activation request can start it
        Function sleeper = function(ns, "sleeper", "ghcr.io/acme/sleeper:1.0", 0, 5);
        sleeper.getSpec().getScaling().setPollingInterval("PT1H");
        create(sleeper);
        await().atMost(60, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("sleeper").get(), d -> d != null);
        awaitReady(Function.class, ns, "sleeper", "True");

        requestActivation(ns, "sleeper", Instant.now());

        await().atMost(30, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("sleeper").get().getSpec().getReplicas(),
                r -> r == 1);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            var status = admin.resources(Function.class).inNamespace(ns).withName("sleeper").get().getStatus();
            assertThat(status.getReplicas()).isEqualTo(1);
            assertThat(status.getLastScaleReason()).isEqualTo("activate: activation signal");
            assertThat(status.getLastScaleTime()).isNotNull();
        });
        assertThat(awaitEvent(ns, "sleeper", "Scaled").getMessage()).isEqualTo("replicas 0 → 1: activate: activation signal");
    }

    /**
     * 500 matching events wait (and 200 the filter passes over) with nobody consuming; lagThreshold 100, maxReplicas
     * 4 → 4 replicas, and status, Event and the Trigger's lag say why; the group finishes them → 0 after the cooldown.
     *
     * <p>No dispatcher runs here, so the test writes the backlog as a dispatcher does (runtime/app's
     * {@code CommitSchedule}): it commits offsets of the trigger's consumer group with {@link PartitionBacklog}
     * metadata. First as a dispatcher that has read every event of each partition, matched the 500, and holds them
     * for a Function with no ready replica (committed offset 0: none is finished); then as one that finished them
     * all (committed at the end offsets, nothing waiting).
     */
    @Test
    void aMatchingBacklogScalesTheDeploymentToMaxReplicasAndBackToZeroAfterTheCooldown() throws Exception {
        String ns = namespace("scaling");
        create(broker(ns, "orders", 2));
        awaitReady(Broker.class, ns, "orders", "True");
        Function packer = function(ns, "packer", "ghcr.io/acme/packer:1.0", 0, 4);
        packer.getSpec().getScaling().setLagThreshold(100);
        packer.getSpec().getScaling().setCooldownPeriod("PT2S");
        packer.getSpec().getScaling().setStabilizationWindow("PT0S");
        packer.getSpec().getScaling().setPollingInterval("PT0.5S");
        create(packer);
        Trigger pack = trigger(ns, "pack", "orders", "packer");
        var filter = new dev.surge.kubernetes.api.AttributesFilter();
        filter.setAttributes(Map.of("type", "shop.order.placed"));
        pack.getSpec().setFilter(filter);
        create(pack);
        awaitReady(Trigger.class, ns, "pack", "True");
        awaitReady(Function.class, ns, "packer", "True");

        String topic = "surge.scaling.orders";
        Map<TopicPartition, Long> matching = new HashMap<>();
        try (var producer = new KafkaProducer<String, byte[]>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 700; i++) {
                String type = i % 7 < 5 ? "shop.order.placed" : "shop.order.viewed"; // 500 of 700 match
                RecordMetadata m = producer.send(cloudEvent(topic, type, i)).get(10, TimeUnit.SECONDS);
                if (type.equals("shop.order.placed")) {
                    matching.merge(new TopicPartition(topic, m.partition()), 1L, Long::sum);
                }
            }
        }
        Map<TopicPartition, Long> end = endOffsets(topic, 2);
        assertThat(end.values().stream().mapToLong(Long::longValue).sum()).as("raw lag").isEqualTo(700);
        String group = "surge.scaling.pack";
        Map<TopicPartition, OffsetAndMetadata> waiting = new HashMap<>();
        end.forEach((tp, e) -> waiting.put(tp, new OffsetAndMetadata(0,
                new PartitionBacklog(e, matching.getOrDefault(tp, 0L), 0.0).encode())));
        kafkaAdmin.alterConsumerGroupOffsets(group, waiting).all().get(10, TimeUnit.SECONDS);
        // a Trigger to a URI on the same Broker: no scaler reads it, it shows its own backlog (7 waiting on p0)
        Trigger audit = trigger(ns, "audit", "orders", null);
        audit.getSpec().setUri("http://audit.example/");
        create(audit);
        TopicPartition p0 = new TopicPartition(topic, 0);
        kafkaAdmin.alterConsumerGroupOffsets("surge.scaling.audit", Map.of(p0, new OffsetAndMetadata(end.get(p0) - 7,
                new PartitionBacklog(end.get(p0), 7, 0.0).encode()))).all().get(10, TimeUnit.SECONDS);

        await().atMost(30, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("packer").get().getSpec().getReplicas(),
                r -> r == 4);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            var status = admin.resources(Function.class).inNamespace(ns).withName("packer").get().getStatus();
            assertThat(status.getReplicas()).isEqualTo(4);
            assertThat(status.getReadyReplicas()).isZero(); // no kubelet here: no pod ever becomes ready
            assertThat(status.getLag()).isEqualTo(500);
            assertThat(status.getLastScaleReason())
                    .isEqualTo("activate: lag 500 / lagThreshold 100 → 5, capped at maxReplicas 4");
            assertThat(status.getLastScaleTime()).isNotNull();
            assertThat(Conditions.ready(status).orElseThrow().getReason()).isEqualTo("ReplicasNotReady");
        });
        assertThat(awaitEvent(ns, "packer", "Scaled").getMessage())
                .isEqualTo("replicas 0 → 4: activate: lag 500 / lagThreshold 100 → 5, capped at maxReplicas 4");
        await().atMost(30, TimeUnit.SECONDS).until(
                () -> admin.resources(Trigger.class).inNamespace(ns).withName("pack").get().getStatus().getLag(),
                lag -> lag != null && lag == 500);
        await().atMost(30, TimeUnit.SECONDS).until(
                () -> admin.resources(Trigger.class).inNamespace(ns).withName("audit").get().getStatus(),
                st -> st != null && st.getLag() != null && st.getLag() == 7);

        Map<TopicPartition, OffsetAndMetadata> finished = new HashMap<>();
        end.forEach((tp, e) -> finished.put(tp, new OffsetAndMetadata(e, new PartitionBacklog(e, 0, 0.0).encode())));
        kafkaAdmin.alterConsumerGroupOffsets(group, finished).all().get(10, TimeUnit.SECONDS);

        await().atMost(30, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("packer").get().getSpec().getReplicas(),
                r -> r == 0);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            var status = admin.resources(Function.class).inNamespace(ns).withName("packer").get().getStatus();
            assertThat(status.getReplicas()).isZero();
            assertThat(status.getLag()).isZero();
            assertThat(status.getLastScaleReason()).startsWith("scale to zero: idle for ").endsWith("≥ cooldownPeriod PT2S");
            assertThat(Conditions.ready(status).orElseThrow().getReason()).isEqualTo("ScaledToZero");
        });
        assertThat(admin.resources(Trigger.class).inNamespace(ns).withName("pack").get().getStatus().getLag()).isZero();
        List<String> scales = admin.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "packer".equals(e.getInvolvedObject().getName()) && "Scaled".equals(e.getReason()))
                .map(Event::getMessage).toList();
        assertThat(scales).anyMatch(m -> m.startsWith("replicas 1 → 0: scale to zero"));
        assertThat(registry.find(OperatorMetrics.SCALES).tag("function", "packer").counters())
                .extracting(c -> c.getId().getTag("direction")).contains("up", "down");
    }

    /**
     * Activation latency against this API server: from the annotation write (the dispatcher's merge patch returned)
     * to the Deployment's {@code spec.replicas} = 1 as a watch delivers it, for 20 Functions at zero (polled once, then
     * not for an hour, so only the activation path can start them). Printed, not asserted (timings on a shared
     * 2-core machine); docs/benchmarks.md keeps the figures.
     */
    @Test
    void activationLatencyFromTheAnnotationWriteToReplicasOne() throws Exception {
        String ns = namespace("latency");
        int tries = 20;
        for (int i = 0; i < tries; i++) {
            Function f = function(ns, "wake-" + i, "ghcr.io/acme/wake:1.0", 0, 5);
            f.getSpec().getScaling().setPollingInterval("PT1H");
            create(f);
        }
        for (int i = 0; i < tries; i++) {
            awaitReady(Function.class, ns, "wake-" + i, "True");
        }
        Map<String, java.util.concurrent.CompletableFuture<Long>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < tries; i++) {
            seen.put("wake-" + i, new java.util.concurrent.CompletableFuture<>());
        }
        List<Long> fromWrite = new java.util.ArrayList<>(); // the dispatcher's merge patch sent → replicas 1
        List<Long> fromStored = new java.util.ArrayList<>(); // the patch answered (annotation stored) → replicas 1
        try (var watch = admin.apps().deployments().inNamespace(ns).watch(new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                Integer r = d.getSpec().getReplicas();
                var done = seen.get(d.getMetadata().getName());
                if (r != null && r == 1 && done != null) {
                    done.complete(System.nanoTime());
                }
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        })) {
            for (int i = 0; i < tries; i++) {
                long start = System.nanoTime();
                requestActivation(ns, "wake-" + i, Instant.now());
                long stored = System.nanoTime();
                long at = seen.get("wake-" + i).get(30, TimeUnit.SECONDS);
                fromWrite.add((at - start) / 1000);
                fromStored.add((at - stored) / 1000);
            }
        }
        System.out.println("activation latency, " + tries + " Functions at zero (watch of the Deployments):");
        System.out.println("  annotation write sent   -> spec.replicas=1: " + summary(fromWrite));
        System.out.println("  annotation write stored -> spec.replicas=1: " + summary(fromStored));
        for (int i = 0; i < tries; i++) {
            assertThat(admin.apps().deployments().inNamespace(ns).withName("wake-" + i).get().getSpec().getReplicas())
                    .isEqualTo(1);
        }
    }

    @Test
    void invalidFunctionsAreReportedAndGetNoDeployment() {
        String ns = namespace("invalid");
        // the 1.20 server ignores the CRD's CEL rule maxReplicas >= minReplicas; the operator does not
        create(function(ns, "upside-down", "ghcr.io/acme/f:1", 3, 1));
        Condition ready = awaitReady(Function.class, ns, "upside-down", "False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.scaling.maxReplicas").contains("minReplicas (3)");

        Function local = function(ns, "local-only", null, 0, 1);
        local.getSpec().setPath("functions/greeter/target/quarkus-app");
        create(local);
        ready = awaitReady(Function.class, ns, "local-only", "False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.image");

        awaitEvent(ns, "upside-down", "InvalidSpec");
        assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(admin.services().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void aFunctionMadeInvalidKeepsItsDeploymentAsItWas() {
        String ns = namespace("broken");
        create(function(ns, "steady", "ghcr.io/acme/steady:1.0", 0, 5));
        await().atMost(60, TimeUnit.SECONDS).until(
                () -> admin.apps().deployments().inNamespace(ns).withName("steady").get(), d -> d != null);
        awaitReady(Function.class, ns, "steady", "True");
        String before = admin.apps().deployments().inNamespace(ns).withName("steady").get().getMetadata()
                .getResourceVersion();

        mergePatch(admin.resources(Function.class).inNamespace(ns).withName("steady"),
                "{\"spec\":{\"image\":\"ghcr.io/acme/steady:2.0\",\"scaling\":{\"minReplicas\":4,\"maxReplicas\":2}}}");

        Condition ready = awaitReady(Function.class, ns, "steady", "False");
        assertThat(ready.getMessage()).contains("spec.scaling.maxReplicas");
        Function read = admin.resources(Function.class).inNamespace(ns).withName("steady").get();
        assertThat(read.getStatus().getObservedGeneration()).isEqualTo(read.getMetadata().getGeneration());
        Deployment after = admin.apps().deployments().inNamespace(ns).withName("steady").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/acme/steady:1.0");
    }

    @Test
    void aTriggerNamingMissingResourcesSaysWhatToFixAndRecoversWhenTheyExist() {
        String ns = namespace("routing");
        create(trigger(ns, "orphan", "nowhere", "ghost"));
        Condition ready = awaitReady(Trigger.class, ns, "orphan", "False");
        assertThat(ready.getReason()).isEqualTo("BrokerNotFound");
        assertThat(ready.getMessage()).contains("spec.broker").contains("'nowhere'").contains("create it");

        create(broker(ns, "nowhere", 1));
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Condition c = Conditions.ready(admin.resources(Trigger.class).inNamespace(ns).withName("orphan").get()
                    .getStatus()).orElseThrow();
            assertThat(c.getReason()).isEqualTo("FunctionNotFound");
            assertThat(c.getMessage()).contains("spec.function").contains("'ghost'");
        });

        create(function(ns, "ghost", "ghcr.io/acme/ghost:1", 0, 1));
        ready = awaitReady(Trigger.class, ns, "orphan", "True");
        assertThat(ready.getReason()).isEqualTo("Routed");
    }

    /**
     * What the Deployment or Service of a Function would be refused for, as far as the operator can tell beforehand:
     * the CRD refuses what its schema can say (a quantity that is none), the operator the rest (an env name, a
     * request above its limit, both stored by this server) — Ready=False with the field, and nothing written.
     */
    @Test
    void aFunctionWhoseWorkloadTheServerWouldRefuseIsReportedAndNothingIsWritten() {
        String ns = namespace("refusable");
        Function lots = function(ns, "lots", "ghcr.io/acme/f:1", 0, 1);
        lots.getSpec().setResources(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("lots")).build());
        assertRefusedAt(() -> create(lots), "spec.resources.requests.cpu");

        Function envTypo = function(ns, "env-typo", "ghcr.io/acme/f:1", 0, 1);
        envTypo.getSpec().setEnv(Map.of("GREETING", "Hello", "2FA_SECRET", "s3cr3t"));
        create(envTypo);
        Function greedy = function(ns, "greedy", "ghcr.io/acme/f:1", 0, 1);
        greedy.getSpec().setResources(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("2"))
                .addToLimits("cpu", new Quantity("1500m")).build());
        create(greedy);

        Condition ready = awaitReady(Function.class, ns, "env-typo", "False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).startsWith("spec.env.2FA_SECRET: '2FA_SECRET' is not a valid environment"
                + " variable name");
        ready = awaitReady(Function.class, ns, "greedy", "False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).isEqualTo("spec.resources.requests.cpu: '2' must not be above the limit"
                + " (spec.resources.limits.cpu: '1500m')");
        assertThat(awaitEvent(ns, "greedy", "InvalidSpec").getType()).isEqualTo("Warning");
        assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(admin.services().inNamespace(ns).list().getItems()).isEmpty();
    }

    /**
     * A Function's name is its Service's, which must start with a letter. The CRD refuses {@code 2fast}; one stored
     * before (under a CRD that took any DNS label, as Surge's did) is reported after the upgrade, and neither its
     * Deployment (which the server would take) nor its Service is written — no Deployment without its Service.
     */
    @Test
    void aFunctionNamedAsNoServiceMayBeIsRefusedAndOneStoredBeforeGetsNothingWritten() {
        String ns = namespace("names");
        assertRefusedAt(() -> create(function(ns, "2fast", "ghcr.io/acme/fast:1", 0, 1)), "metadata.name");

        var crd = admin.apiextensions().v1().customResourceDefinitions().withName("functions.surge.dev");
        setFunctionNamePattern(crd, DnsLabelNames.PATTERN); // the CRD as it was before
        try {
            await().atMost(30, TimeUnit.SECONDS).ignoreExceptions()
                    .until(() -> create(function(ns, "2fast", "ghcr.io/acme/fast:1", 0, 1)) != null);
            // Judged while the old schema still holds: under the new one the server refuses every write to this
            // Function, its status too, so what the operator decides must be seen before the CRD is restored.
            Condition ready = awaitReady(Function.class, ns, "2fast", "False");
            assertThat(ready.getReason()).isEqualTo("InvalidSpec");
            assertThat(ready.getMessage()).isEqualTo("metadata.name: '2fast' must start with a letter, as the"
                    + " Function's Kubernetes Service takes this name (a DNS-1035 label); rename it, e.g. to 'fn-2fast'");
            assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
            assertThat(admin.services().inNamespace(ns).list().getItems()).isEmpty();
        } finally {
            setFunctionNamePattern(crd, DnsLabelNames.PATTERN_1035);
            // back in force (422) before anything else runs; 409: a probe stored while the old one still applied
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                try {
                    create(function(ns, "9probe", "ghcr.io/acme/probe:1", 0, 1));
                    return false;
                } catch (KubernetesClientException e) {
                    return e.getCode() == 422;
                }
            });
        }
    }

    /** The API server refuses the write as invalid (422), naming {@code field}, as the CRD's schema says. */
    private static void assertRefusedAt(org.assertj.core.api.ThrowableAssert.ThrowingCallable write, String field) {
        assertThatThrownBy(write).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getDetails().getCauses()).extracting(c -> c.getField()).contains(field);
        });
    }

    private static void setFunctionNamePattern(io.fabric8.kubernetes.client.dsl.Resource<?> crd, String pattern) {
        crd.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/versions/0/schema"
                + "/openAPIV3Schema/properties/metadata/properties/name/pattern\",\"value\":\"" + pattern + "\"}]");
    }

    /**
     * What the operator cannot foresee: a resource name the API server does not know ({@code gpu}, for
     * {@code nvidia.com/gpu}) passes the CRD and the operator's checks, and the server refuses the Deployment. Ready
     * is False with the server's message and a Warning Event; the Service, applied first, is there, no Deployment
     * is; the fix creates it. A refused edit later leaves the Deployment as it was.
     */
    @Test
    void aWorkloadTheServerRefusesIsApplyFailedWithItsMessageUntilTheSpecIsFixed() {
        String ns = namespace("refused");
        Function gpu = function(ns, "renderer", "ghcr.io/acme/renderer:1", 0, 1);
        gpu.getSpec().setResources(new ResourceRequirementsBuilder().addToRequests("gpu", new Quantity("1"))
                .addToLimits("gpu", new Quantity("1")).build());
        create(gpu);

        Condition ready = awaitReady(Function.class, ns, "renderer", "False");
        assertThat(ready.getReason()).isEqualTo("ApplyFailed");
        assertThat(ready.getMessage()).startsWith("the API server refused the Function's workload (HTTP 422):"
                + " Deployment.apps \"renderer\" is invalid:")
                .contains("resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully"
                        + " qualified")
                .endsWith("; fix the Function's spec (the operator tries again, at most a minute apart)");
        Event event = awaitEvent(ns, "renderer", "ApplyFailed");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).isEqualTo(ready.getMessage());
        assertThat(admin.apps().deployments().inNamespace(ns).withName("renderer").get()).isNull();
        assertThat(admin.services().inNamespace(ns).withName("renderer").get()).isNotNull();

        mergePatch(admin.resources(Function.class).inNamespace(ns).withName("renderer"), "{\"spec\":{\"resources\":"
                + "{\"requests\":{\"gpu\":null,\"nvidia.com/gpu\":\"1\"},\"limits\":{\"gpu\":null,\"nvidia.com/gpu\":\"1\"}}}}");
        ready = awaitReady(Function.class, ns, "renderer", "True");
        assertThat(ready.getReason()).isEqualTo("ScaledToZero");
        Deployment deployment = admin.apps().deployments().inNamespace(ns).withName("renderer").get();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .containsOnlyKeys("nvidia.com/gpu");

        mergePatch(admin.resources(Function.class).inNamespace(ns).withName("renderer"), "{\"spec\":{\"image\":"
                + "\"ghcr.io/acme/renderer:2\",\"resources\":{\"limits\":{\"tpu\":\"1\"}}}}");
        ready = awaitReady(Function.class, ns, "renderer", "False");
        assertThat(ready.getReason()).isEqualTo("ApplyFailed");
        assertThat(ready.getMessage()).contains("resources.limits[tpu]");
        Deployment after = admin.apps().deployments().inNamespace(ns).withName("renderer").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(deployment.getMetadata().getResourceVersion());
    }

    /**
     * The dispatchers leave out a Trigger whose Function or dead-letter Function is missing or invalid; the operator
     * says so, naming which, and the Trigger becomes Ready when that resource is fixed (an invalid Broker cannot be
     * stored by this server: its schema catches all a Broker's rules; {@code SpecCheckTest} covers it).
     */
    @Test
    void aTriggerWhoseFunctionOrDeadLetterFunctionIsInvalidOrMissingIsReadyOnlyOnceItIsFixed() {
        String ns = namespace("references");
        create(broker(ns, "orders", 1));
        Function local = function(ns, "packer", null, 0, 1);
        local.getSpec().setPath("functions/packer/target/quarkus-app");
        create(local);
        create(trigger(ns, "pack", "orders", "packer"));
        Trigger audit = trigger(ns, "audit", "orders", null);
        audit.getSpec().setUri("http://audit.example/");
        var delivery = new dev.surge.kubernetes.api.TriggerDelivery();
        var sink = new dev.surge.kubernetes.api.DeadLetterSink();
        sink.setFunction("mourner");
        delivery.setDeadLetterSink(sink);
        audit.getSpec().setDelivery(delivery);
        create(audit);

        Condition pack = awaitReady(Trigger.class, ns, "pack", "False");
        assertThat(pack.getReason()).isEqualTo("FunctionInvalid");
        assertThat(pack.getMessage()).isEqualTo("spec.function: Function 'packer' in namespace references is invalid"
                + " (spec.image: a Function on Kubernetes needs a container image (spec.path is for local mode only);"
                + " set spec.image); fix it, or name another Function");
        Condition deadLetters = awaitReady(Trigger.class, ns, "audit", "False");
        assertThat(deadLetters.getReason()).isEqualTo("FunctionNotFound");
        assertThat(deadLetters.getMessage()).isEqualTo("spec.delivery.deadLetterSink.function: there is no Function"
                + " 'mourner' in namespace references; create it, or name an existing Function");

        mergePatch(admin.resources(Function.class).inNamespace(ns).withName("packer"),
                "{\"spec\":{\"image\":\"ghcr.io/acme/packer:1\"}}");
        assertThat(awaitReady(Trigger.class, ns, "pack", "True").getReason()).isEqualTo("Routed");

        // 1.20 ignores the CEL rule maxReplicas >= minReplicas; the runtime and the operator do not
        create(function(ns, "mourner", "ghcr.io/acme/mourner:1", 3, 1));
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Condition c = Conditions.ready(admin.resources(Trigger.class).inNamespace(ns).withName("audit").get()
                    .getStatus()).orElseThrow();
            assertThat(c.getReason()).isEqualTo("FunctionInvalid");
            assertThat(c.getMessage()).startsWith("spec.delivery.deadLetterSink.function: Function 'mourner' in"
                    + " namespace references is invalid (spec.scaling.maxReplicas: must not be below minReplicas (3))");
        });
        mergePatch(admin.resources(Function.class).inNamespace(ns).withName("mourner"),
                "{\"spec\":{\"scaling\":{\"maxReplicas\":3}}}");
        assertThat(awaitReady(Trigger.class, ns, "audit", "True").getReason()).isEqualTo("Routed");
    }

    @Test
    void aBrokersTopicGrowsButNeverShrinks() throws Exception {
        String ns = namespace("topics");
        create(broker(ns, "orders", 2));
        awaitReady(Broker.class, ns, "orders", "True");
        assertThat(partitions("surge.topics.orders")).isEqualTo(2);

        mergePatch(admin.resources(Broker.class).inNamespace(ns).withName("orders"), "{\"spec\":{\"partitions\":4}}");
        await().atMost(60, TimeUnit.SECONDS).until(() -> partitions("surge.topics.orders") == 4);

        mergePatch(admin.resources(Broker.class).inNamespace(ns).withName("orders"), "{\"spec\":{\"partitions\":1}}");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Condition c = Conditions.ready(admin.resources(Broker.class).inNamespace(ns).withName("orders").get()
                    .getStatus()).orElseThrow();
            assertThat(c.getReason()).isEqualTo("TopicDiffers");
            assertThat(c.getMessage()).contains("spec.partitions is 1").contains("keeps")
                    .contains("cannot remove partitions");
        });
        assertThat(partitions("surge.topics.orders")).isEqualTo(4);
    }

    // --- helpers

    /** Median and max of durations in µs, in ms, and every value in order. */
    static String summary(List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return String.format(java.util.Locale.ROOT, "median %.1f ms, max %.1f ms; in order (ms) %s", median / 1000,
                sorted.get(n - 1) / 1000.0,
                micros.stream().map(m -> String.format(java.util.Locale.ROOT, "%.1f", m / 1000.0)).toList());
    }

    /**
     * What a dispatcher holding an event for the Function writes (runtime/app's FunctionActivations): one merge
     * patch, no read before it (a resource that only names the Function, rather than withName, which GETs first).
     */
    static void requestActivation(String ns, String function, Instant at) {
        Function target = new Function();
        target.getMetadata().setNamespace(ns);
        target.getMetadata().setName(function);
        target.setStatus(null);
        admin.resources(Function.class).resource(target).patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                        + ActivationRequest.ANNOTATION + "\":\"" + at + "\"}}}");
    }

    /** A CloudEvent in Kafka's binary mode, as the ingress writes it. */
    static ProducerRecord<String, byte[]> cloudEvent(String topic, String type, int i) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, null, "{}".getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_id", ("order-" + i).getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "/shop".getBytes(StandardCharsets.UTF_8))
                .add("ce_type", type.getBytes(StandardCharsets.UTF_8))
                .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    static Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        kafkaAdmin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, o) -> end.put(tp, o.offset()));
        return end;
    }

    static void deleteRecursively(Path folder) throws java.io.IOException {
        if (Files.exists(folder)) {
            try (var paths = Files.walk(folder)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** As a user's `kubectl patch --type merge` would: no resourceVersion, so no conflict with the operator. */
    static void mergePatch(io.fabric8.kubernetes.client.dsl.Resource<?> resource, String patch) {
        resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    static String namespace(String name) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    static <T extends HasMetadata> T create(T resource) {
        return admin.resource(resource).create();
    }

    static int partitions(String topic) throws Exception {
        return kafkaAdmin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                .partitions().size();
    }

    static <R extends HasMetadata> Condition awaitReady(Class<R> type, String ns, String name, String status) {
        return await().atMost(60, TimeUnit.SECONDS).until(() -> {
            R resource = admin.resources(type).inNamespace(ns).withName(name).get();
            SurgeStatus s = (SurgeStatus) resource.getClass().getMethod("getStatus").invoke(resource);
            return Conditions.ready(s).orElse(null);
        }, c -> c != null && status.equals(c.getStatus()));
    }

    static Event awaitEvent(String ns, String involved, String reason) {
        return await().atMost(30, TimeUnit.SECONDS).until(() -> admin.v1().events().inNamespace(ns).list().getItems()
                .stream().filter(e -> involved.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .findFirst().orElse(null), e -> e != null);
    }

    static Broker broker(String ns, String name, int partitions) {
        Broker broker = new Broker();
        broker.getMetadata().setName(name);
        broker.getMetadata().setNamespace(ns);
        BrokerSpec spec = new BrokerSpec();
        spec.setPartitions(partitions);
        broker.setSpec(spec);
        broker.setStatus(null);
        return broker;
    }

    static Function function(String ns, String name, String image, int min, int max) {
        Function function = new Function();
        function.getMetadata().setName(name);
        function.getMetadata().setNamespace(ns);
        FunctionSpec spec = new FunctionSpec();
        spec.setImage(image);
        spec.setEnv(Map.of("GREETING", "Hello"));
        FunctionScaling scaling = new FunctionScaling();
        scaling.setMinReplicas(min);
        scaling.setMaxReplicas(max);
        spec.setScaling(scaling);
        function.setSpec(spec);
        function.setStatus(null);
        return function;
    }

    static Trigger trigger(String ns, String name, String broker, String function) {
        Trigger trigger = new Trigger();
        trigger.getMetadata().setName(name);
        trigger.getMetadata().setNamespace(ns);
        TriggerSpec spec = new TriggerSpec();
        spec.setBroker(broker);
        spec.setFunction(function);
        trigger.setSpec(spec);
        trigger.setStatus(null);
        return trigger;
    }
}
