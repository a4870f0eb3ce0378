package dev.surge.kubetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only a real API server does, and fabric8's mock does not: each test in a namespace of its own. */
class RealApiServerIT {

  @RegisterExtension
  static RealApiServer api = new RealApiServer();

  @Test
  void serverSideApplyTracksFieldManagersAndRefusesConflicts(TestInfo test) {
    String ns = namespace(test);
    var configMaps = api.client().configMaps().inNamespace(ns);

    configMaps.resource(settings("mode", "fast")).fieldManager("surge-operator").serverSideApply();
    ConfigMap changed = configMaps.resource(settings("mode", "safe")).fieldManager("surge-operator").serverSideApply();

    assertThat(changed.getData()).containsExactly(Map.entry("mode", "safe"));
    assertThat(changed.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(org.assertj.core.api.Assertions.tuple("surge-operator", "Apply"));
    // Another manager may not take over a field it does not own without forcing.
    assertThatThrownBy(() -> configMaps.resource(settings("mode", "other")).fieldManager("someone-else").serverSideApply())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getMessage()).contains("conflict").contains("surge-operator").contains(".data.mode");
        });
    assertThat(configMaps.withName("settings").get().getData()).containsEntry("mode", "safe");
  }

  @Test
  void deploymentScaleSubresourceIsReadAndWritten(TestInfo test) {
    String ns = namespace(test);
    var deployments = api.client().apps().deployments().inNamespace(ns);
    deployments.resource(deployment("greeter", 1)).create();

    assertThat(deployments.withName("greeter").scale().getSpec().getReplicas()).isEqualTo(1);
    deployments.withName("greeter").scale(3);

    assertThat(deployments.withName("greeter").scale().getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployments.withName("greeter").get().getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void customResourceViolatingTheCrdSchemaIsRefusedWithTheServersMessage(TestInfo test) {
    String ns = namespace(test);
    var crds = api.client().apiextensions().v1().customResourceDefinitions();
    crds.resource(widgetCrd()).serverSideApply();
    crds.withName("widgets.test.surge.dev").waitUntilCondition(crd -> crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")),
        30, TimeUnit.SECONDS);
    var widgets = api.client().genericKubernetesResources(new ResourceDefinitionContext.Builder()
        .withGroup("test.surge.dev").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
        .build()).inNamespace(ns);

    assertThat(widgets.resource(widget("good", 2)).create().getAdditionalProperties()).containsKey("spec");
    assertThatThrownBy(() -> widgets.resource(widget("bad", 0)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.size").contains("should be greater than or equal to 1");
        });
    assertThat(widgets.withName("bad").get()).isNull();
  }

  @Test
  void serviceAccountHasOnlyTheRightsOfItsRole(TestInfo test) {
    String ns = namespace(test);
    api.client().configMaps().inNamespace(ns).resource(settings("mode", "fast")).create();
    api.client().rbac().roles().inNamespace(ns).resource(new RoleBuilder()
        .withNewMetadata().withName("configmap-reader").endMetadata()
        .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get").endRule()
        .build()).create();
    api.client().rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder()
        .withNewMetadata().withName("operator-reads-configmaps").endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "configmap-reader")
        .addNewSubject().withKind("ServiceAccount").withName("operator").withNamespace(ns).endSubject()
        .build()).create();

    KubernetesClient operator = api.clientAs(ns, "operator");

    // The authorizer reads RoleBindings from its informer cache, which follows the write shortly.
    await().atMost(Duration.ofSeconds(30)).ignoreException(KubernetesClientException.class)
        .untilAsserted(() -> assertThat(operator.configMaps().withName("settings").get().getData())
            .containsEntry("mode", "fast"));
    assertForbidden(() -> operator.configMaps().list(), "list");
    assertForbidden(() -> operator.configMaps().resource(settings("other", "x")).create(), "create");
  }

  @Test
  void kubeconfigWorksForKubectl() throws Exception {
    var kubectl = new ProcessBuilder(KubeBinaries.expectedIn(System::getenv).kubectl().toString(),
        "--kubeconfig", api.kubeconfigFile().toString(), "get", "namespace", "default", "-o", "name")
        .redirectErrorStream(true).start();
    try {
      assertThat(kubectl.waitFor(30, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
      assertThat(new String(kubectl.getInputStream().readAllBytes()).trim()).isEqualTo("namespace/default");
      assertThat(kubectl.exitValue()).isZero();
      assertThat(Files.readString(api.kubeconfigFile())).contains("https://127.0.0.1:");
    } finally {
      kubectl.destroyForcibly();
    }
  }

  @Test
  void kubeconfigAsAuthenticatesAsTheServiceAccountAlone(TestInfo test) throws Exception {
    String ns = namespace(test);
    java.nio.file.Path file = java.nio.file.Path.of("target", "kube-api", "reader.kubeconfig");
    Files.writeString(file, api.kubeconfigAs(ns, "reader"));
    var kubectl = new ProcessBuilder(KubeBinaries.expectedIn(System::getenv).kubectl().toString(),
        "--kubeconfig", file.toString(), "get", "configmaps").redirectErrorStream(true).start();
    try {
      assertThat(kubectl.waitFor(30, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
      // no rights granted: refused, as the ServiceAccount, in its namespace (the context's)
      assertThat(new String(kubectl.getInputStream().readAllBytes()))
          .contains("User \"system:serviceaccount:" + ns + ":reader\" cannot list resource \"configmaps\"")
          .contains("in the namespace \"" + ns + "\"");
      assertThat(kubectl.exitValue()).isNotZero();
    } finally {
      kubectl.destroyForcibly();
    }
  }

  private static void assertForbidden(Runnable call, String verb) {
    assertThatThrownBy(call::run).as(verb).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(403);
      assertThat(e.getMessage()).contains("cannot " + verb + " resource \"configmaps\"");
    });
  }

  private static String namespace(TestInfo test) {
    String name = test.getTestMethod().orElseThrow().getName().replaceAll("([A-Z])", "-$1").toLowerCase();
    name = name.substring(0, Math.min(name.length(), 50)).replaceAll("-$", "");
    api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  private static ConfigMap settings(String key, String value) {
    return new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().addToData(key, value).build();
  }

  private static Deployment deployment(String name, int replicas) {
    Map<String, String> labels = Map.of("app", name);
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName(name).withImage("ghcr.io/acme/greeter:1.0").endContainer().endSpec()
        .endTemplate().endSpec()
        .build();
  }

  private static CustomResourceDefinition widgetCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("widgets.test.surge.dev").endMetadata()
        .withNewSpec().withGroup("test.surge.dev").withScope("Namespaced")
        .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true)
        .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
            .addToProperties("spec", new JSONSchemaPropsBuilder().withType("object").addToRequired("size")
                .addToProperties("size", new JSONSchemaPropsBuilder().withType("integer").withMinimum(1.0).build())
                .build())
            .build()).endSchema()
        .endVersion().endSpec()
        .build();
  }

  private static GenericKubernetesResource widget(String name, int size) {
    return new GenericKubernetesResourceBuilder().withApiVersion("test.surge.dev/v1").withKind("Widget")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", size))
        .build();
  }
}
