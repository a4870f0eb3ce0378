package dev.surge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.helm.Charts.Rendered;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RBAC helm/surge grants is files/rbac/*.yaml, the rules the operator's and the runtime's tests run under on a
 * real API server, and nothing more: same rules, no wildcards, bound to the ServiceAccounts the pods run as,
 * cluster-wide only when every namespace is watched.
 */
class SurgeChartRbacTest {
    static final List<String> COMPONENTS = List.of("operator", "ingress", "dispatcher");

    @ParameterizedTest
    @ValueSource(strings = {"operator", "ingress", "dispatcher"})
    void eachClusterRoleHasExactlyTheRulesOfItsFile(String component) throws IOException {
        Rendered rendered = Charts.render(Charts.SURGE, "");
        assertThat(rendered.get("ClusterRole", "surge-" + component).path("rules"))
                .isEqualTo(fileRules(component, "ClusterRole"));
    }

    @Test
    void theLeaseRoleHasExactlyTheRulesOfTheOperatorsFileInTheReleasesNamespace() throws IOException {
        JsonNode role = Charts.render(Charts.SURGE, "").get("Role", "surge-operator-leader-election");
        assertThat(role.path("rules")).isEqualTo(fileRules("operator", "Role"));
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo("surge");
        assertThat(role.path("rules")).singleElement().satisfies(r ->
                assertThat(r.path("resources")).extracting(JsonNode::asText).containsExactly("leases"));
    }

    @Test
    void noRuleHasAWildcardAndNoneReachesRbacAndOnlyTheIngressReadsSecretsByName() {
        for (String values : List.of("", SurgeChartTest.STRIMZI_SCRAM, SurgeChartTest.SMALL)) {
            Rendered rendered = Charts.render(Charts.SURGE, values);
            List<JsonNode> roles = new ArrayList<>(rendered.ofKind("ClusterRole"));
            roles.addAll(rendered.ofKind("Role"));
            for (JsonNode role : roles) {
                for (JsonNode rule : role.path("rules")) {
                    for (String field : List.of("apiGroups", "resources", "verbs")) {
                        assertThat(rule.path(field)).as(role.at("/metadata/name").asText() + " " + field).isNotEmpty()
                                .allSatisfy(v -> assertThat(v.asText()).doesNotContain("*"));
                    }
                    assertThat(rule.has("nonResourceURLs")).isFalse();
                    assertThat(rule.path("resources")).extracting(JsonNode::asText)
                            .doesNotContain("configmaps", "pods", "roles", "rolebindings", "clusterroles",
                                    "clusterrolebindings", "customresourcedefinitions", "serviceaccounts");
                    if (rule.path("resources").toString().contains("secrets")) {
                        // Only the ingress, for Brokers' tokens.secretRef: one Secret by name, never a list.
                        assertThat(role.at("/metadata/name").asText()).isEqualTo("surge-ingress");
                        assertThat(rule.path("resources")).extracting(JsonNode::asText).containsExactly("secrets");
                        assertThat(rule.path("verbs")).extracting(JsonNode::asText)
                                .containsExactlyInAnyOrder("get", "watch");
                    }
                    assertThat(rule.path("verbs")).extracting(JsonNode::asText)
                            .doesNotContain("delete", "deletecollection", "escalate", "bind", "impersonate");
                }
            }
        }
    }

    @Test
    void watchingAllNamespacesBindsEachClusterRoleToItsComponentsServiceAccount() {
        Rendered rendered = Charts.render(Charts.SURGE, "");
        assertThat(rendered.ofKind("ClusterRoleBinding")).hasSize(3);
        for (String component : COMPONENTS) {
            JsonNode binding = rendered.get("ClusterRoleBinding", "surge-" + component);
            assertRef(binding, "ClusterRole", "surge-" + component);
            assertSubject(binding, "surge", "surge-" + component);
            assertRunsAs(rendered, component);
        }
        JsonNode lease = rendered.get("RoleBinding", "surge-operator-leader-election");
        assertThat(lease.at("/metadata/namespace").asText()).isEqualTo("surge");
        assertRef(lease, "Role", "surge-operator-leader-election");
        assertSubject(lease, "surge", "surge-operator");
    }

    @Test
    void watchedNamespacesGetRoleBindingsAndNothingIsGrantedClusterWide() {
        Rendered rendered = Charts.render(Charts.SURGE, "watchNamespaces: [shop, billing]");
        assertThat(rendered.ofKind("ClusterRoleBinding")).isEmpty();
        List<JsonNode> bindings = rendered.ofKind("RoleBinding").stream()
                .filter(b -> b.at("/roleRef/kind").asText().equals("ClusterRole")).toList();
        assertThat(bindings).extracting(b -> b.at("/metadata/namespace").asText() + "/" + b.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("shop/surge-operator", "shop/surge-ingress", "shop/surge-dispatcher",
                        "billing/surge-operator", "billing/surge-ingress", "billing/surge-dispatcher");
        for (JsonNode binding : bindings) {
            String name = binding.at("/metadata/name").asText();
            assertRef(binding, "ClusterRole", name);
            assertSubject(binding, "surge", name);
        }
        for (String component : COMPONENTS) {
            assertRunsAs(rendered, component);
        }
        // and the components are told to watch just those
        assertThat(SurgeChartTest.env(SurgeChartTest.container(rendered, "surge-operator")))
                .containsEntry("SURGE_OPERATOR_NAMESPACES", "shop,billing");
        for (String role : List.of("ingress", "dispatcher")) {
            List<String> args = SurgeChartTest.args(SurgeChartTest.container(rendered, "surge-" + role));
            assertThat(args.subList(args.size() - 2, args.size())).containsExactly("--namespaces", "shop,billing");
        }
    }

    @Test
    void everyBindingNamesARoleAndAServiceAccountTheChartRenders() {
        for (String values : List.of("", "watchNamespaces: [shop]", SurgeChartTest.SMALL)) {
            Rendered rendered = Charts.render(Charts.SURGE, values);
            List<JsonNode> bindings = new ArrayList<>(rendered.ofKind("ClusterRoleBinding"));
            bindings.addAll(rendered.ofKind("RoleBinding"));
            for (JsonNode b : bindings) {
                assertThat(rendered.get(b.at("/roleRef/kind").asText(), b.at("/roleRef/name").asText())).isNotNull();
                assertThat(rendered.get("ServiceAccount", b.at("/subjects/0/name").asText())).isNotNull();
            }
        }
    }

    static void assertRef(JsonNode binding, String kind, String name) {
        assertThat(binding.at("/roleRef/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo(kind);
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(name);
    }

    static void assertSubject(JsonNode binding, String namespace, String serviceAccount) {
        assertThat(binding.path("subjects")).singleElement().satisfies(s -> {
            assertThat(s.path("kind").asText()).isEqualTo("ServiceAccount");
            assertThat(s.path("name").asText()).isEqualTo(serviceAccount);
            assertThat(s.path("namespace").asText()).isEqualTo(namespace);
        });
    }

    static void assertRunsAs(Rendered rendered, String component) {
        assertThat(rendered.get("Deployment", "surge-" + component).at("/spec/template/spec/serviceAccountName").asText())
                .isEqualTo(rendered.get("ServiceAccount", "surge-" + component).at("/metadata/name").asText());
    }

    /** The rules of the one document of {@code kind} in files/rbac/{@code component}.yaml. */
    static JsonNode fileRules(String component, String kind) throws IOException {
        Path file = Charts.dir(Charts.SURGE).resolve("files/rbac/" + component + ".yaml");
        List<JsonNode> docs = Charts.parse(Files.readString(file)).stream()
                .filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(docs).as(file + ": one " + kind).hasSize(1);
        return docs.get(0).path("rules");
    }
}
