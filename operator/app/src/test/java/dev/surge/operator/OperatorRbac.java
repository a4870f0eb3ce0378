package dev.surge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The chart's operator rules (helm/surge/files/rbac/operator.yaml) as they are in the file, bound to a ServiceAccount. */
final class OperatorRbac {
    private OperatorRbac() {
    }

    static void bind(KubernetesClient admin, String namespace, String serviceAccount) throws Exception {
        Path file = Path.of(System.getProperty("surge.root", "../.."), "helm/surge/files/rbac/operator.yaml");
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(file)) {
            objects = admin.load(in).items();
        }
        assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ClusterRole", "Role");
        for (HasMetadata object : objects) {
            if (object instanceof ClusterRole role) {
                admin.resource(role).create();
                admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("surge-operator").endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role.getMetadata().getName())
                        .addNewSubject().withKind("ServiceAccount").withName(serviceAccount)
                        .withNamespace(namespace).endSubject().build()).create();
            } else if (object instanceof Role role) {
                admin.resource(role).inNamespace(namespace).create();
                admin.resource(new RoleBindingBuilder().withNewMetadata().withName(role.getMetadata().getName())
                        .withNamespace(namespace).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", role.getMetadata().getName())
                        .addNewSubject().withKind("ServiceAccount").withName(serviceAccount)
                        .withNamespace(namespace).endSubject().build()).inNamespace(namespace).create();
            }
        }
    }
}
