package dev.surge.runtime.kubernetes;

import dev.surge.core.resource.ResourceSet;
import dev.surge.kubernetes.api.Broker;
import dev.surge.kubernetes.api.Function;
import dev.surge.kubernetes.api.ResourceSelection;
import dev.surge.kubernetes.api.Trigger;
import dev.surge.kubernetes.api.ResourceSelection.Rejected;
import dev.surge.kubernetes.api.ResourceSelection.Selection;
import dev.surge.runtime.resources.ResourceSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The Brokers, Functions and Triggers of the cluster as the runtime's {@link ResourceSource}: fabric8 informers
 * keep a cache of each kind in the watched namespaces, and every change to them counts; {@link #poll()} rebuilds
 * the set (through {@link ResourceSelection}) only when the count moved, so the reconciler may ask often.
 *
 * <p>The resources are read as {@link GenericKubernetesResource}s, not the typed classes: a resource the typed
 * classes could not bind (e.g. written against another version of the CRD) is then one invalid resource,
 * reported and left out, instead of an error in the watch that would hide every resource of its kind.
 */
public final class ClusterResources implements ResourceSource, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterResources.class);

    /** The kinds a process needs: the ingress only Brokers, the dispatcher all three. */
    public enum Kind {
        BROKER(Broker.class), FUNCTION(Function.class), TRIGGER(Trigger.class);

        final ResourceDefinitionContext context;

        Kind(Class<? extends HasMetadata> type) {
            this.context = ResourceDefinitionContext.fromResourceType(type);
        }
    }

    private final String describe;
    private final Map<Kind, List<SharedIndexInformer<GenericKubernetesResource>>> informers;
    private final AtomicLong changes = new AtomicLong();
    private final RejectionReports reports = new RejectionReports();
    private long built = -1;
    private ResourceSet current = ResourceSet.EMPTY;

    private ClusterResources(String describe, Map<Kind, List<SharedIndexInformer<GenericKubernetesResource>>> informers) {
        this.describe = describe;
        this.informers = informers;
    }

    /**
     * Starts informers on {@code kinds} in {@code namespaces} and returns once their caches hold the cluster's
     * resources, with {@link #current()} built from them.
     *
     * @throws IllegalStateException when a list fails (e.g. the account may not list the kind there) or the caches
     *                               are not filled within {@code timeout}; says which kind, where, and why
     */
    public static ClusterResources start(KubernetesClient client, WatchedNamespaces namespaces, List<Kind> kinds,
            Duration timeout) {
        Map<Kind, List<SharedIndexInformer<GenericKubernetesResource>>> informers = new LinkedHashMap<>();
        ClusterResources resources = new ClusterResources("Kubernetes " + client.getConfiguration().getMasterUrl()
                + " (" + kinds.stream().map(k -> k.context.getPlural()).toList() + " in " + namespaces + ")", informers);
        ResourceEventHandler<GenericKubernetesResource> counter = resources.counter();
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (Kind kind : kinds) {
            var all = client.genericKubernetesResources(kind.context);
            List<SharedIndexInformer<GenericKubernetesResource>> list = new ArrayList<>();
            // Without resync: the cache is complete once synced; a resync would only re-announce what it holds.
            if (namespaces.all()) {
                list.add(all.inAnyNamespace().runnableInformer(0));
                where.add(kind.context.getPlural() + " in all namespaces");
            } else {
                for (String ns : namespaces.names()) {
                    list.add(all.inNamespace(ns).runnableInformer(0));
                    where.add(kind.context.getPlural() + " in namespace " + ns);
                }
            }
            informers.put(kind, list);
        }
        informers.values().stream().flatMap(List::stream).forEach(i -> {
            i.addEventHandler(counter);
            synced.add(i.start().toCompletableFuture());
        });
        try {
            for (int i = 0; i < synced.size(); i++) {
                try {
                    synced.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cannot watch " + where.get(i) + " at "
                            + client.getConfiguration().getMasterUrl() + ": " + rootMessage(e), e.getCause());
                } catch (TimeoutException e) {
                    throw new IllegalStateException("the informer on " + where.get(i) + " at "
                            + client.getConfiguration().getMasterUrl() + " did not fill its cache in " + timeout, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            resources.close();
            throw new IllegalStateException("interrupted while filling the informers' caches", e);
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
        resources.poll();
        return resources;
    }

    private ResourceEventHandler<GenericKubernetesResource> counter() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                changes.incrementAndGet();
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                changes.incrementAndGet();
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                changes.incrementAndGet();
            }
        };
    }

    @Override
    public synchronized ResourceSet current() {
        return current;
    }

    /**
     * Rebuilds the set when an informer saw a change since the last build (a status update counts too; the
     * reconciler then finds the set equal and does nothing). Left-out resources are logged once with their
     * problems. Returns the set when it differs from the previous one.
     */
    @Override
    public synchronized Optional<ResourceSet> poll() {
        long seen = changes.get();
        if (seen == built) {
            return Optional.empty();
        }
        built = seen;
        List<GenericKubernetesResource> all = new ArrayList<>();
        informers.values().stream().flatMap(List::stream).forEach(i -> all.addAll(i.getStore().list()));
        Selection selection = ResourceSelection.select(all);
        for (Rejected r : reports.toReport(selection.rejected())) {
            LOG.error(r.id() + " cannot be used and is left out; the other resources run:\n  "
                    + String.join("\n  ", r.lines()));
        }
        if (selection.resources().equals(current)) {
            return Optional.empty();
        }
        current = selection.resources();
        return Optional.of(current);
    }

    /** The Function as the informer holds it now (status included); empty when absent or not watched. */
    public Optional<GenericKubernetesResource> function(String namespace, String name) {
        for (SharedIndexInformer<GenericKubernetesResource> i : informers.getOrDefault(Kind.FUNCTION, List.of())) {
            GenericKubernetesResource r = i.getStore().getByKey(namespace + "/" + name);
            if (r != null) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public void close() {
        informers.values().stream().flatMap(List::stream).forEach(SharedIndexInformer::stop);
    }

    /** The client's own message (e.g. the API server's "forbidden" with the user and verb), not the wrapper's. */
    private static String rootMessage(ExecutionException e) {
        return e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
    }
}
