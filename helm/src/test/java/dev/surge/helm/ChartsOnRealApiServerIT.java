package dev.surge.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.helm.Charts.Rendered;
import dev.surge.kubetest.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both charts installed on a real kube-apiserver 1.20.2 as Helm installs them: the files of helm/surge/crds first,
 * then every rendered object by server-side apply (which refuses a field the server's schema lacks). Then the
 * chart's own ServiceAccounts, through the chart's bindings, are shown to be allowed what the operator and the
 * runtime do — each request made with the account's own token — and refused what they do not need. (operator/e2e's
 * ChartOnKubernetesIT runs the packaged operator, ingress and dispatcher under these accounts.)
 */
class ChartsOnRealApiServerIT {
    @RegisterExtension
    static RealApiServer api = new RealApiServer();

    static final String SYSTEM = "surge-system";
    static final String SHOP = "shop";
    static final String SCOPED_SYSTEM = "scoped-system";
    static final String BILLING = "billing";
    static final String FIELD_MANAGER = "helm";
    static final ResourceDefinitionContext FUNCTIONS = new ResourceDefinitionContext.Builder().withGroup("surge.dev")
            .withVersion("v1alpha1").withPlural("functions").withKind("Function").withNamespaced(true).build();

    /** The platform as on a cluster of this version, with its optional parts on. */
    static final String PLATFORM = """
            kafka: {bootstrapServers: 'kafka.kafka.svc:9092'}
            networkPolicy: {enabled: true, namespaces: [shop]}
            serviceMonitor: {enabled: true}
            """;

    static KubernetesClient admin;
    static Rendered platform;
    static Rendered scoped;
    static Rendered function;
    static final List<HasMetadata> applied = new ArrayList<>();

    @BeforeAll
    static void install() throws IOException {
        admin = api.client();
        for (String ns : List.of(SYSTEM, SHOP, SCOPED_SYSTEM, BILLING)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (var files = Files.list(Charts.dir(Charts.SURGE).resolve("crds"))) {
            for (Path file : files.sorted().toList()) {
                crds.add(admin.getKubernetesSerialization().unmarshal(Files.readString(file),
                        CustomResourceDefinition.class));
            }
        }
        // The Prometheus Operator's CRD is not here: a stand-in of the same name that accepts any ServiceMonitor, so
        // that the chart's is stored like every other object (its fields are checked by SurgeChartTest).
        crds.add(admin.getKubernetesSerialization().unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: servicemonitors.monitoring.coreos.com}
                spec:
                  group: monitoring.coreos.com
                  scope: Namespaced
                  names: {kind: ServiceMonitor, plural: servicemonitors, singular: servicemonitor, listKind: ServiceMonitorList}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """, CustomResourceDefinition.class));
        // Created as Helm creates the files of crds/ (POST, never updated by Helm). Not by server-side apply here:
        // 1.20's CRD schema lacks x-kubernetes-validations (1.23+), and an apply refuses an undeclared field where a
        // create drops it (docs/kubernetes.md says so for kubectl apply --server-side).
        for (CustomResourceDefinition crd : crds) {
            admin.resource(crd).create();
        }
        for (CustomResourceDefinition crd : crds) {
            admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType())
                                    && "True".equals(x.getStatus())), 60, java.util.concurrent.TimeUnit.SECONDS);
        }
        platform = Charts.render(Charts.SURGE, "surge", SYSTEM, PLATFORM, "1.20.2");
        scoped = Charts.render(Charts.SURGE, "scoped", SCOPED_SYSTEM,
                "kafka: {bootstrapServers: 'kafka.kafka.svc:9092'}\nwatchNamespaces: [billing]", "1.20.2");
        function = Charts.render(Charts.FUNCTION, "greeter", SHOP, FunctionChartTest.FULL, "1.20.2");
        for (Rendered rendered : List.of(platform, scoped, function)) {
            applied.addAll(apply(rendered));
        }
        // The authorizer reads bindings from its informer cache, which follows the writes shortly.
        List<KubernetesClient> all = new ArrayList<>();
        List<KubernetesClient> scopedAccounts = new ArrayList<>();
        for (String component : SurgeChartRbacTest.COMPONENTS) {
            all.add(api.clientAs(SYSTEM, "surge-" + component));
            scopedAccounts.add(api.clientAs(SCOPED_SYSTEM, "scoped-surge-" + component));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            all.forEach(c -> assertAllowed(c, "surge.dev", "brokers", "", "watch", ""));
            scopedAccounts.forEach(c -> assertAllowed(c, "surge.dev", "brokers", "", "watch", BILLING));
            assertAllowed(all.get(0), "coordination.k8s.io", "leases", "", "create", SYSTEM);
        });
    }

    @Test
    void theServerAcceptsEveryRenderedObjectByServerSideApply() {
        assertThat(applied).hasSize(platform.objects().size() + scoped.objects().size() + function.objects().size());
        {
            for (HasMetadata object : applied) {
                String what = object.getKind() + " " + object.getMetadata().getNamespace() + "/"
                        + object.getMetadata().getName();
                HasMetadata stored = admin.resource(object).get();
                assertThat(stored).as(what).isNotNull();
                assertThat(stored.getMetadata().getManagedFields()).as(what)
                        .anyMatch(m -> FIELD_MANAGER.equals(m.getManager()) && "Apply".equals(m.getOperation()));
            }
        }
        // what the server stored is what the chart said, e.g. the restricted security context of every pod
        for (JsonNode rendered : platform.ofKind("Deployment")) {
            Deployment stored = admin.apps().deployments().inNamespace(SYSTEM)
                    .withName(rendered.at("/metadata/name").asText()).get();
            var container = stored.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(stored.getSpec().getTemplate().getSpec().getSecurityContext().getSeccompProfile().getType())
                    .isEqualTo("RuntimeDefault");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        }
        // the custom resources of the function chart passed the CRDs' schemas as they are
        GenericKubernetesResource fn = admin.genericKubernetesResources(FUNCTIONS).inNamespace(SHOP).withName("packer")
                .get();
        assertThat(fn.get("spec", "scaling", "maxReplicas").toString()).isEqualTo("10");
        assertThat(admin.policy().v1beta1().podDisruptionBudget().inNamespace(SYSTEM).withName("surge-ingress").get()
                .getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(admin.network().v1().networkPolicies().inNamespace(SHOP).withName("surge-functions").get()).isNotNull();
    }

    @Test
    void everyRuleOfTheRbacFilesIsGrantedToItsComponentsAccountThroughTheChartsBindings() throws IOException {
        for (String component : SurgeChartRbacTest.COMPONENTS) {
            KubernetesClient as = api.clientAs(SYSTEM, "surge-" + component);
            for (String kind : component.equals("operator") ? List.of("ClusterRole", "Role") : List.of("ClusterRole")) {
                // a ClusterRole's rules in every namespace (a user's, and cluster-wide for watches), the Role's in
                // the release's namespace
                List<String> namespaces = kind.equals("Role") ? List.of(SYSTEM) : List.of("", SHOP);
                for (JsonNode rule : SurgeChartRbacTest.fileRules(component, kind)) {
                    for (JsonNode group : rule.path("apiGroups")) {
                        for (JsonNode resource : rule.path("resources")) {
                            String[] parts = resource.asText().split("/", 2);
                            for (JsonNode verb : rule.path("verbs")) {
                                for (String ns : namespaces) {
                                    assertAllowed(as, group.asText(), parts[0], parts.length > 1 ? parts[1] : "",
                                            verb.asText(), ns);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theOperatorsAccountMayDoWhatTheOperatorDoesInEveryNamespaceAndNothingElse() {
        KubernetesClient operator = api.clientAs(SYSTEM, "surge-operator");
        // its informers: a list and a watch across all namespaces for each kind
        for (String plural : List.of("functions", "brokers", "triggers")) {
            assertAllowed(operator, "surge.dev", plural, "", "list", "");
            assertAllowed(operator, "surge.dev", plural, "", "watch", "");
            assertAllowed(operator, "surge.dev", plural, "status", "patch", SHOP);
        }
        assertThat(operator.genericKubernetesResources(FUNCTIONS).inAnyNamespace().list().getItems())
                .extracting(f -> f.getMetadata().getName()).contains("packer");
        // a Function's Deployment by server-side apply, as the operator writes it, and its Events
        Deployment workload = admin.getKubernetesSerialization().unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: packer, namespace: shop, labels: {app.kubernetes.io/managed-by: surge}}
                spec:
                  replicas: 0
                  selector: {matchLabels: {surge.dev/function: packer}}
                  template:
                    metadata: {labels: {surge.dev/function: packer}}
                    spec: {containers: [{name: function, image: ghcr.io/acme/packer:1.0}]}
                """, Deployment.class);
        operator.resource(workload).fieldManager("surge-operator").forceConflicts().serverSideApply();
        assertThat(operator.apps().deployments().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "surge")
                .list().getItems()).extracting(d -> d.getMetadata().getName()).containsExactly("packer");
        assertAllowed(operator, "", "services", "", "watch", "");
        assertAllowed(operator, "", "services", "", "create", SHOP);
        assertAllowed(operator, "", "events", "", "create", SHOP);
        assertAllowed(operator, "surge.dev", "functions", "finalizers", "update", SHOP);
        // its Lease, in its own namespace only
        operator.leases().inNamespace(SYSTEM).resource(new LeaseBuilder().withNewMetadata().withName("surge-operator")
                .endMetadata().withNewSpec().withHolderIdentity("surge-operator-0").endSpec().build()).create();
        assertAllowed(operator, "coordination.k8s.io", "leases", "", "update", SYSTEM);
        assertDenied(operator, "coordination.k8s.io", "leases", "", "get", SHOP);
        // nothing it does not need
        assertDenied(operator, "apps", "deployments", "", "delete", SHOP);
        assertDenied(operator, "", "secrets", "", "get", SHOP);
        assertDenied(operator, "", "pods", "", "list", "");
        assertDenied(operator, "surge.dev", "functions", "", "patch", SHOP);
        assertDenied(operator, "apiextensions.k8s.io", "customresourcedefinitions", "", "create", "");
        assertDenied(operator, "rbac.authorization.k8s.io", "clusterrolebindings", "", "create", "");
    }

    @Test
    void theRuntimesAccountsMayDoWhatTheIngressAndTheDispatcherDoAndNothingElse() {
        KubernetesClient ingress = api.clientAs(SYSTEM, "surge-ingress");
        KubernetesClient dispatcher = api.clientAs(SYSTEM, "surge-dispatcher");
        assertAllowed(ingress, "surge.dev", "brokers", "", "list", "");
        assertAllowed(ingress, "surge.dev", "brokers", "", "watch", "");
        assertDenied(ingress, "surge.dev", "functions", "", "list", "");
        assertDenied(ingress, "surge.dev", "triggers", "", "list", "");
        assertDenied(ingress, "surge.dev", "functions", "", "patch", SHOP);

        for (String plural : List.of("functions", "brokers", "triggers")) {
            assertAllowed(dispatcher, "surge.dev", plural, "", "list", "");
            assertAllowed(dispatcher, "surge.dev", plural, "", "watch", "");
        }
        // the activation request: one JSON merge patch of a Function's annotation, as FunctionActivations sends it
        // (a resource that only names it: fabric8 GETs first when asked withName, and the account may not get)
        GenericKubernetesResource packer = new GenericKubernetesResource();
        packer.setApiVersion("surge.dev/v1alpha1");
        packer.setKind("Function");
        packer.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(SHOP)
                .withName("packer").build());
        dispatcher.genericKubernetesResources(FUNCTIONS).resource(packer).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"surge.dev/activation-requested-at\":\"2026-12-02T16:00:00Z\"}}}");
        assertThat(admin.genericKubernetesResources(FUNCTIONS).inNamespace(SHOP).withName("packer").get().getMetadata()
                .getAnnotations()).containsEntry("surge.dev/activation-requested-at", "2026-12-02T16:00:00Z");
        assertDenied(dispatcher, "surge.dev", "functions", "status", "patch", SHOP);
        assertDenied(dispatcher, "surge.dev", "triggers", "", "patch", SHOP);
        assertDenied(dispatcher, "apps", "deployments", "", "create", SHOP);
        assertDenied(dispatcher, "", "secrets", "", "get", SYSTEM);
        KubernetesClientException refused = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> ingress.genericKubernetesResources(FUNCTIONS).resource(packer)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}"));
        assertThat(refused.getCode()).isEqualTo(403);
    }

    @Test
    void withWatchedNamespacesTheAccountsMayActThereAndNowhereElse() {
        for (String account : List.of("scoped-surge-operator", "scoped-surge-ingress", "scoped-surge-dispatcher")) {
            KubernetesClient client = api.clientAs(SCOPED_SYSTEM, account);
            assertAllowed(client, "surge.dev", "brokers", "", "list", BILLING);
            assertAllowed(client, "surge.dev", "brokers", "", "watch", BILLING);
            assertDenied(client, "surge.dev", "brokers", "", "list", SHOP);
            assertDenied(client, "surge.dev", "brokers", "", "list", ""); // no cluster-wide right at all
        }
        KubernetesClient operator = api.clientAs(SCOPED_SYSTEM, "scoped-surge-operator");
        assertAllowed(operator, "apps", "deployments", "", "patch", BILLING);
        assertDenied(operator, "apps", "deployments", "", "patch", SHOP);
        assertAllowed(operator, "coordination.k8s.io", "leases", "", "create", SCOPED_SYSTEM);
    }

    /** Server-side apply of every rendered object. */
    static List<HasMetadata> apply(Rendered rendered) {
        List<HasMetadata> applied = new ArrayList<>();
        for (JsonNode object : rendered.objects()) {
            HasMetadata item = admin.load(new ByteArrayInputStream(KubernetesSchemas.json(object)
                    .getBytes(StandardCharsets.UTF_8))).items().get(0);
            applied.add(admin.resource(item).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        }
        return applied;
    }

    static void assertAllowed(KubernetesClient as, String group, String resource, String subresource, String verb,
            String namespace) {
        assertThat(allowed(as, group, resource, subresource, verb, namespace))
                .as("%s may %s %s/%s%s in '%s'", user(as), verb, group, resource,
                        subresource.isEmpty() ? "" : "/" + subresource, namespace).isTrue();
    }

    static void assertDenied(KubernetesClient as, String group, String resource, String subresource, String verb,
            String namespace) {
        assertThat(allowed(as, group, resource, subresource, verb, namespace))
                .as("%s may not %s %s/%s%s in '%s'", user(as), verb, group, resource,
                        subresource.isEmpty() ? "" : "/" + subresource, namespace).isFalse();
    }

    /** A SelfSubjectAccessReview made with the account's own token. */
    static boolean allowed(KubernetesClient as, String group, String resource, String subresource, String verb,
            String namespace) {
        return as.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes().withGroup(group).withResource(resource)
                .withSubresource(subresource).withVerb(verb).withNamespace(namespace).endResourceAttributes().endSpec()
                .build()).getStatus().getAllowed();
    }

    /** The token's subject, e.g. system:serviceaccount:surge-system:surge-operator. */
    static String user(KubernetesClient as) {
        String[] jwt = as.getConfiguration().getOauthToken().split("\\.");
        try {
            return Charts.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt[1])).path("sub").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
