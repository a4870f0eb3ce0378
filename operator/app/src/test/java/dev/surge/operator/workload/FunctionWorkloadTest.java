package dev.surge.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Function;
import dev.surge.core.resource.Metadata;
import dev.surge.core.scaling.ScalingPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionWorkloadTest {
    static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("surge.dev/v1alpha1")
            .withKind("Function").withName("greeter").withUid("uid-1").withController(true)
            .withBlockOwnerDeletion(true).build();
    static final ResourceRequirements RESOURCES = new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("100m")).addToLimits("memory", new Quantity("256Mi")).build();

    static Function function(Map<String, String> env, int port) {
        return new Function(new Metadata("greeter", "shop"), "ghcr.io/acme/greeter:1.0", null, port, env, 100,
                ScalingPolicy.DEFAULT);
    }

    static Function function() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GREETING", "Hello");
        env.put("LANG", "en");
        return function(env, 9000);
    }

    @Test
    void metadataNamesLabelsAndOwnsTheDeployment() {
        Deployment d = FunctionWorkload.deployment(function(), RESOURCES, OWNER, null);
        assertThat(d.getMetadata().getName()).isEqualTo("greeter");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(d.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/name", "greeter", "app.kubernetes.io/managed-by", "surge",
                "surge.dev/function", "greeter"));
        assertThat(d.getMetadata().getOwnerReferences()).containsExactly(OWNER);
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("surge.dev/function", "greeter"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/managed-by", "surge");
    }

    @Test
    void replicasAreLeftOutUnlessCreating() {
        assertThat(FunctionWorkload.deployment(function(), null, OWNER, null).getSpec().getReplicas()).isNull();
        assertThat(FunctionWorkload.deployment(function(), null, OWNER, 0).getSpec().getReplicas()).isZero();
    }

    @Test
    void containerRunsTheImageOnThePortWithEnvAndResources() {
        Container c = container(FunctionWorkload.deployment(function(), RESOURCES, OWNER, null));
        assertThat(c.getName()).isEqualTo("function");
        assertThat(c.getImage()).isEqualTo("ghcr.io/acme/greeter:1.0");
        assertThat(c.getPorts()).hasSize(1);
        assertThat(c.getPorts().get(0).getName()).isEqualTo("http");
        assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(9000);
        assertThat(c.getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(c.getEnv()).containsExactly(new EnvVar("GREETING", "Hello", null), new EnvVar("LANG", "en", null),
                new EnvVar("QUARKUS_HTTP_PORT", "9000", null));
        assertThat(c.getResources()).isEqualTo(RESOURCES);
    }

    @Test
    void aUsersQuarkusPortIsNotOverridden() {
        Container c = container(FunctionWorkload.deployment(function(Map.of("QUARKUS_HTTP_PORT", "9999"), 8080),
                null, OWNER, null));
        assertThat(c.getEnv()).containsExactly(new EnvVar("QUARKUS_HTTP_PORT", "9999", null));
        assertThat(c.getResources()).isNull();
    }

    @Test
    void probesAskQuarkusHealthOnTheNamedPort() {
        Container c = container(FunctionWorkload.deployment(function(), null, OWNER, null));
        assertProbe(c.getReadinessProbe(), "/q/health/ready", 1, 3);
        assertProbe(c.getLivenessProbe(), "/q/health/live", 10, 3);
        assertProbe(c.getStartupProbe(), "/q/health/live", 2, 30);
    }

    static void assertProbe(Probe probe, String path, int period, int failures) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
        assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTP");
        assertThat(probe.getPeriodSeconds()).isEqualTo(period);
        assertThat(probe.getFailureThreshold()).isEqualTo(failures);
        assertThat(probe.getTimeoutSeconds()).isEqualTo(1);
    }

    @Test
    void podAndContainerAreLockedDown() {
        Deployment d = FunctionWorkload.deployment(function(), null, OWNER, null);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        var sc = container(d).getSecurityContext();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getPrivileged()).isNull();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isEmpty();
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void tmpIsAWritableEmptyDir() {
        Deployment d = FunctionWorkload.deployment(function(), null, OWNER, null);
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("tmp");
            assertThat(v.getEmptyDir()).isNotNull();
        });
        assertThat(container(d).getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("tmp");
            assertThat(m.getMountPath()).isEqualTo("/tmp");
            assertThat(m.getReadOnly()).isNull();
        });
    }

    @Test
    void serviceExposesThePortToThePods() {
        Service s = FunctionWorkload.service(function(), OWNER);
        assertThat(s.getMetadata().getName()).isEqualTo("greeter");
        assertThat(s.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(s.getMetadata().getOwnerReferences()).containsExactly(OWNER);
        assertThat(s.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "surge");
        assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(s.getSpec().getSelector()).isEqualTo(Map.of("surge.dev/function", "greeter"));
        assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(9000);
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString("http"));
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
    }

    @Test
    void ownerReferenceIsTheControllerReference() {
        var cr = new dev.surge.kubernetes.api.Function();
        cr.getMetadata().setName("greeter");
        cr.getMetadata().setUid("uid-1");
        assertThat(FunctionWorkload.ownerReference(cr)).isEqualTo(OWNER);
    }

    static Container container(Deployment d) {
        assertThat(d.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
