package dev.surge.operator.workload;

import dev.surge.core.resource.Function;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Function runs as on Kubernetes: a Deployment and a Service, as values. Pure: no client, no I/O, so every
 * field is tested without a cluster; the reconciler applies what this returns.
 *
 * <p>The pods are locked down the way the Pod Security Standard "restricted" asks: non-root, read-only root
 * filesystem (Quarkus writes only to {@code /tmp}, an emptyDir here), no privilege escalation, every capability
 * dropped, the runtime's default seccomp profile, and no service-account token (functions never call the API).
 */
public final class FunctionWorkload {
    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "surge";
    /** Selects a function's pods; the only label of the selector, which Kubernetes never lets change. */
    public static final String LABEL_FUNCTION = "surge.dev/function";
    /** The selector of the operator's informers: only what Surge made is cached. */
    public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGED_BY;

    public static final String CONTAINER = "function";
    public static final String PORT_NAME = "http";
    public static final String READY_PATH = "/q/health/ready";
    public static final String LIVE_PATH = "/q/health/live";
    public static final String TMP_VOLUME = "tmp";
    /** A Quarkus function listens on its Function's port without configuring it twice. */
    public static final String PORT_ENV = "QUARKUS_HTTP_PORT";

    private FunctionWorkload() {
    }

    /** Labels of the Deployment, the Service and the pods. */
    public static Map<String, String> labels(Function function) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NAME, function.name());
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        labels.put(LABEL_FUNCTION, function.name());
        return labels;
    }

    /** The controller reference that ties the Deployment and Service to their Function (for the garbage collector). */
    public static OwnerReference ownerReference(io.fabric8.kubernetes.api.model.HasMetadata function) {
        return new OwnerReferenceBuilder()
                .withApiVersion(function.getApiVersion())
                .withKind(function.getKind())
                .withName(function.getMetadata().getName())
                .withUid(function.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /**
     * The Function's Deployment.
     *
     * @param function  the Function as the core read it (valid, with an image)
     * @param resources the container's CPU and memory (the custom resource's {@code spec.resources}), or null
     * @param owner     the Function's owner reference
     * @param replicas  replicas to create it with, or null to leave {@code spec.replicas} out: once the
     *                  Deployment exists the scaler owns replicas, and what the reconciler applies never names them
     */
    public static Deployment deployment(Function function, ResourceRequirements resources, OwnerReference owner,
            Integer replicas) {
        Map<String, String> labels = labels(function);
        return new DeploymentBuilder()
                .withMetadata(metadata(function, owner))
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().withMatchLabels(Map.of(LABEL_FUNCTION, function.name())).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withSeccompProfile(runtimeDefault())
                            .endSecurityContext()
                            .withContainers(container(function, resources))
                            .addNewVolume().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The Function's Service: {@code http://<function>.<namespace>.svc:<port>/}, the address triggers deliver to. */
    public static Service service(Function function, OwnerReference owner) {
        return new ServiceBuilder()
                .withMetadata(metadata(function, owner))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Map.of(LABEL_FUNCTION, function.name()))
                    .addNewPort()
                        .withName(PORT_NAME)
                        .withProtocol("TCP")
                        .withPort(function.port())
                        .withTargetPort(new IntOrString(PORT_NAME))
                    .endPort()
                .endSpec()
                .build();
    }

    private static ObjectMeta metadata(Function function, OwnerReference owner) {
        return new ObjectMetaBuilder()
                .withName(function.name())
                .withNamespace(function.namespace())
                .withLabels(labels(function))
                .withOwnerReferences(owner)
                .build();
    }

    private static Container container(Function function, ResourceRequirements resources) {
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(function.image())
                .addNewPort().withName(PORT_NAME).withContainerPort(function.port()).withProtocol("TCP").endPort()
                .withEnv(env(function))
                .withResources(resources)
                .withReadinessProbe(probe(READY_PATH, 1, 3))
                .withLivenessProbe(probe(LIVE_PATH, 10, 3))
                // A JVM may take a while to start: liveness counts only after this passed (up to 60 s).
                .withStartupProbe(probe(LIVE_PATH, 2, 30))
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withReadOnlyRootFilesystem(true)
                    .withAllowPrivilegeEscalation(false)
                    .withCapabilities(dropAll())
                    .withSeccompProfile(runtimeDefault())
                .endSecurityContext()
                .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
                .build();
    }

    /** The user's variables in their order, and the port for Quarkus unless the user set it. */
    private static List<EnvVar> env(Function function) {
        List<EnvVar> env = new ArrayList<>();
        function.env().forEach((name, value) -> env.add(new EnvVar(name, value, null)));
        if (!function.env().containsKey(PORT_ENV)) {
            env.add(new EnvVar(PORT_ENV, String.valueOf(function.port()), null));
        }
        return env;
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(PORT_NAME)).withScheme("HTTP").endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(1)
                .build();
    }

    private static Capabilities dropAll() {
        return new CapabilitiesBuilder().withDrop("ALL").build();
    }

    private static SeccompProfile runtimeDefault() {
        return new SeccompProfile(null, "RuntimeDefault");
    }
}
