package dev.surge.runtime.kubernetes;

import dev.surge.kubernetes.api.SurgeApi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Asks the operator for a replica of a Function at zero without waiting for its next poll: writes the annotation
 * {@value #ANNOTATION} (an RFC 3339 time) on the Function with a JSON merge patch, which the operator's watch on
 * Functions sees at once. At most once a second per Function ({@link ActivationThrottle}); the write happens on a
 * thread of its own, since dispatchers ask from their event loops. One request, a PATCH with no read before it, so
 * RBAC: {@code patch} on {@code functions.surge.dev} (no {@code get}).
 */
public final class FunctionActivations implements AutoCloseable {
    public static final String ANNOTATION = SurgeApi.ACTIVATION_REQUESTED_AT;
    private static final Logger LOG = Logger.getLogger(FunctionActivations.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final ActivationThrottle throttle;
    /** The last failure per Function, so that a lasting one (e.g. RBAC) is logged once, not every second. */
    private final java.util.Map<String, String> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "surge-activation");
        t.setDaemon(true);
        return t;
    });

    public FunctionActivations(KubernetesClient client, Clock clock, Duration interval) {
        this.client = client;
        this.clock = clock;
        this.throttle = new ActivationThrottle(interval);
    }

    /** Requests a replica of {@code namespace/function}, unless one was requested within the interval. */
    public void request(String namespace, String function) {
        Instant now = clock.instant();
        if (!throttle.tryAcquire(namespace + "/" + function, now)) {
            return;
        }
        try {
            writer.execute(() -> write(namespace, function, now));
        } catch (RejectedExecutionException closing) {
            // shutting down: nobody waits for the replica any more
        }
    }

    private void write(String namespace, String function, Instant at) {
        String patch = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\""
                + at.truncatedTo(ChronoUnit.MILLIS) + "\"}}}";
        try {
            // One PATCH and no read: fabric8 GETs the object first when asked by name (withName(..).patch), and a
            // resource built here gives it the name and namespace instead. RBAC: 'patch' alone.
            client.genericKubernetesResources(ClusterResources.Kind.FUNCTION.context)
                    .resource(target(namespace, function)).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            LOG.debugf("asked for a replica of function %s/%s", namespace, function);
            if (failures.remove(namespace + "/" + function) != null) {
                LOG.infof("asking for replicas of function %s/%s works again", namespace, function);
            }
        } catch (RuntimeException e) {
            // The event waits either way; the next request (a second later at the earliest) tries again, and the
            // operator's lag poll starts the replica in the end.
            String before = failures.put(namespace + "/" + function, String.valueOf(e.getMessage()));
            if (!String.valueOf(e.getMessage()).equals(before)) {
                LOG.warnf("cannot ask for a replica of function %s/%s (annotation %s): %s", namespace, function,
                        ANNOTATION, e.getMessage());
            }
        }
    }

    /** Only what names the Function: the merge patch itself is the body sent. */
    private static GenericKubernetesResource target(String namespace, String function) {
        GenericKubernetesResource target = new GenericKubernetesResource();
        target.setApiVersion(SurgeApi.API_VERSION);
        target.setKind(ClusterResources.Kind.FUNCTION.context.getKind());
        target.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(function).build());
        return target;
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
