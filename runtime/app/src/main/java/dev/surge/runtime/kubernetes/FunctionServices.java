package dev.surge.runtime.kubernetes;

import dev.surge.core.resource.Function;
import dev.surge.core.resource.ResourceSet;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.net.URI;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Function targets on Kubernetes: the Function's Service, {@code http://<function>.<namespace>.svc:<port>/} by
 * default ({@code surge.kubernetes.function-url}), which the operator creates and Kubernetes balances over the
 * ready pods. A Function has a ready replica when its {@code status.readyReplicas} (copied by the operator from
 * its Deployment, read here from the informer's cache) is above zero; {@link #activate} asks the operator for one.
 *
 * <p>The dispatcher does not see pods, so the per-replica {@code concurrency} of local mode is not enforced here
 * and a lease is only the Service's address: what bounds the load on a Function is each trigger's
 * {@code delivery.maxInFlight} per dispatcher replica (and the function's own HTTP server).
 */
public final class FunctionServices implements FunctionEndpoints {
    private final Supplier<ResourceSet> resources;
    private final BiFunction<String, String, Optional<GenericKubernetesResource>> cached;
    private final BiConsumer<String, String> activations;
    private final FunctionUrl url;

    /**
     * @param resources   the Functions that run (valid ones, with their port)
     * @param cached      a Function as the informer holds it now, for its status
     * @param activations asks for a replica of namespace/function
     * @param url         how a Function's Service is addressed
     */
    public FunctionServices(Supplier<ResourceSet> resources,
            BiFunction<String, String, Optional<GenericKubernetesResource>> cached,
            BiConsumer<String, String> activations, FunctionUrl url) {
        this.resources = resources;
        this.cached = cached;
        this.activations = activations;
        this.url = url;
    }

    /** The Service's address while the Function has a ready replica; nothing to release. */
    @Override
    public Optional<Lease> acquire(String namespace, String function) {
        if (!hasReady(namespace, function)) {
            return Optional.empty();
        }
        return resources.get().function(namespace, function).map(f -> {
            URI uri = url.of(f);
            return new Lease() {
                @Override
                public URI uri() {
                    return uri;
                }

                @Override
                public void release() {
                }
            };
        });
    }

    @Override
    public boolean hasReady(String namespace, String function) {
        return cached.apply(namespace, function).map(FunctionServices::readyReplicas).orElse(0L) > 0;
    }

    @Override
    public void activate(String namespace, String function) {
        activations.accept(namespace, function);
    }

    /** {@code status.readyReplicas}, 0 when absent or not a number. */
    static long readyReplicas(GenericKubernetesResource function) {
        Object ready = function.get("status", "readyReplicas");
        return ready instanceof Number n ? n.longValue() : 0;
    }

    /**
     * A template with {@code {function}}, {@code {namespace}} and {@code {port}}, e.g. the default
     * {@code http://{function}.{namespace}.svc:{port}/}; from a workstation or with another cluster domain, e.g.
     * {@code http://{function}.{namespace}.svc.cluster.local:{port}/}.
     */
    public record FunctionUrl(String template) {
        public static final String DEFAULT = "http://{function}.{namespace}.svc:{port}/";

        /** @throws IllegalArgumentException naming the setting when the template does not give an http(s) URL */
        public FunctionUrl {
            URI example;
            try {
                example = URI.create(fill(template, "fn", "ns", Function.DEFAULT_PORT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("surge.kubernetes.function-url: '" + template
                        + "' does not give a URL: " + e.getMessage());
            }
            if (!("http".equals(example.getScheme()) || "https".equals(example.getScheme())) || example.getHost() == null
                    || !template.contains("{function}")) {
                throw new IllegalArgumentException("surge.kubernetes.function-url: '" + template + "' must give an"
                        + " http(s) URL with a host and name the function with {function}");
            }
        }

        public URI of(Function f) {
            return URI.create(fill(template, f.name(), f.namespace(), f.port()));
        }

        private static String fill(String template, String function, String namespace, int port) {
            return template.replace("{function}", function).replace("{namespace}", namespace)
                    .replace("{port}", String.valueOf(port));
        }
    }
}
