package dev.surge.operator.function;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import java.util.HashMap;
import java.util.Map;

/**
 * How the operator writes a Function's Deployment and Service: server-side apply, so the operator owns exactly the
 * fields it sets, and the scaler owns {@code spec.replicas}.
 *
 * <ul>
 *   <li>A missing object is created by server-side apply — a Deployment with the replicas the scaling decision
 *       gives, so a function at zero never starts a pod it does not need (an apply without replicas would get the
 *       default 1); those replicas are handed to the scaler's field manager at once.</li>
 *   <li>An existing object is applied (server-side apply, field manager {@value #FIELD_MANAGER}, force) with
 *       everything but {@code spec.replicas}: a user's edit of a field the operator sets (image, env, probes,
 *       security context …) is taken back; replicas, which the apply never names, stay as the scaler or a user
 *       left them. Fields someone else added and the operator never sets (an extra annotation) are left alone,
 *       as server-side apply means — except in the pod's spec: fields another manager added there are removed
       ({@link TemplateDrift}), since what the pod runs with (privileges, host namespaces, env) is the Function's.</li>
 *   <li>It applies only when the operator's fields differ from what it wants (JOSDK's SSA-based matcher compares
 *       its managed fields), so a reconcile with nothing to change writes nothing.</li>
 *   <li>Replicas change by a server-side apply of {@code spec.replicas} alone by another field manager,
 *       {@value #SCALER_FIELD_MANAGER}, the scaler's.</li>
 * </ul>
 *
 * <p>Why this works on 1.20 and 1.26+: server-side apply is beta and on by default from 1.16 and GA from 1.22
 * with the same semantics for these calls; leaving replicas out of the apply (instead of applying the current
 * value) is what the Kubernetes docs recommend with an autoscaler, and avoids the operator's apply ever taking
 * replicas back. Matching before applying avoids no-op applies, which on older servers rewrote managedFields'
 * timestamps and so woke the informers again.
 */
public final class WorkloadApply {
    public static final String FIELD_MANAGER = "surge-operator";
    public static final String SCALER_FIELD_MANAGER = "surge-scaler";

    private final KubernetesClient client;

    public WorkloadApply(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Creates {@code desired} when {@code actual} is null, else applies it when the operator's fields differ.
     *
     * @return the object as the server has it after the write, or {@code actual} when nothing was written
     */
    @SuppressWarnings("unchecked") // a Deployment in, a Deployment out
    public <R extends HasMetadata> R ensure(R actual, R desired, Context<?> context) {
        if (actual == null) {
            // Created by server-side apply too, not by a POST: the fields of a POST belong to a manager of their own
            // ("Update"), which later applies do not replace, so a field the user removed from the Function (an env
            // var, a limit) would stay in the Deployment for good. No get needed.
            R created = client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            if (created instanceof Deployment d && d.getSpec().getReplicas() != null) {
                // The create carried the decided replicas; hand them to the scaler's manager at once, or the
                // operator's next apply (which leaves replicas out) would remove them and the server would default 1.
                return (R) scale(d, d.getSpec().getReplicas());
            }
            return created;
        }
        if (actual instanceof Deployment live && !TemplateDrift.addedByOthers(live, FIELD_MANAGER).isEmpty()) {
            return (R) setBack(live, (Deployment) desired);
        }
        if (SSABasedGenericKubernetesResourceMatcher.<R>getInstance().matches(actual, desired, context)) {
            return actual;
        }
        desired.getMetadata().setResourceVersion(null);
        return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /**
     * Someone else added fields to the pod's spec that the operator never sets (an env var, {@code hostNetwork},
     * an added capability): server-side apply leaves fields it does not own alone, so they are removed by replacing
     * the pod template with the wanted one (an update, with the live replicas and resourceVersion: a concurrent
     * change makes it fail with 409 and the reconcile is retried). Then the operator applies as usual.
     */
    private Deployment setBack(Deployment live, Deployment desired) {
        // The pod template's annotations stay as they are (a `kubectl rollout restart` stamps one there), with the
        // operator's on top; only the pod's spec is the drift.
        Map<String, String> annotations = new HashMap<>();
        if (live.getSpec().getTemplate().getMetadata() != null
                && live.getSpec().getTemplate().getMetadata().getAnnotations() != null) {
            annotations.putAll(live.getSpec().getTemplate().getMetadata().getAnnotations());
        }
        if (desired.getSpec().getTemplate().getMetadata().getAnnotations() != null) {
            annotations.putAll(desired.getSpec().getTemplate().getMetadata().getAnnotations());
        }
        Deployment replaced = new DeploymentBuilder(live)
                .editSpec().withTemplate(desired.getSpec().getTemplate()).editTemplate().editMetadata()
                    .withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata().endTemplate().endSpec()
                .build();
        replaced.getMetadata().setManagedFields(null);
        client.resource(replaced).update();
        desired.getMetadata().setResourceVersion(null);
        return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /**
     * Sets a Deployment's replicas, and nothing else: a server-side apply of {@code spec.replicas} alone by the field
     * manager {@value #SCALER_FIELD_MANAGER} (which so owns replicas, beside nobody but a user who scaled by hand).
     */
    public Deployment scale(Deployment deployment, int replicas) {
        Deployment onlyReplicas = new DeploymentBuilder()
                .withNewMetadata().withName(deployment.getMetadata().getName())
                    .withNamespace(deployment.getMetadata().getNamespace()).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .build();
        return client.resource(onlyReplicas).fieldManager(SCALER_FIELD_MANAGER).forceConflicts().serverSideApply();
    }
}
