package dev.surge.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The dispatcher pods of helm/surge, found by the labels the chart puts on them, asked for their
 * {@code GET /triggers} through the API server's pod proxy
 * ({@code /api/v1/namespaces/<ns>/pods/<pod>:<port>/proxy/triggers}), so that {@code surge status --kubernetes}
 * works from wherever the user's kube config works: no port-forward, no route into the cluster. That needs the
 * rights {@code list} on pods and {@code get} on {@code pods/proxy} in Surge's namespace; without them, or when a
 * pod does not answer, the counts are unknown and {@link DispatcherCounts#problems()} says why.
 */
final class DispatcherPods {
    /** The labels of helm/surge's dispatcher pods (its {@code surge.selectorLabels} of the component). */
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "surge",
            "app.kubernetes.io/component", "dispatcher");
    /** The chart's container port of the runtime, named {@code http}; used when a pod names none. */
    static final int DEFAULT_PORT = 8080;
    private static final String SELECTOR = "labels app.kubernetes.io/name=surge, app.kubernetes.io/component=dispatcher";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DispatcherPods() {
    }

    /** The counts of the running dispatcher pods in {@code namespace}, or in every namespace for null. */
    static DispatcherCounts read(KubernetesClient client, String namespace) {
        String where = namespace == null ? "in any namespace" : "in namespace " + namespace;
        List<Pod> pods;
        try {
            var all = client.pods();
            pods = (namespace == null ? all.inAnyNamespace().withLabels(LABELS).list()
                    : all.inNamespace(namespace).withLabels(LABELS).list()).getItems();
        } catch (KubernetesClientException e) {
            return DispatcherCounts.unknown(e.getCode() == 403
                    ? "the cluster refused to list pods " + where + " (403): the user needs 'list' on pods there"
                            + (namespace == null ? ", or give Surge's namespace with --surge-namespace" : "")
                    : "cannot list the dispatcher pods " + where + ": " + reason(e));
        }
        // A pod not running yet has counted nothing; one that stopped took its counts with it.
        List<Pod> running = pods.stream()
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                        && p.getStatus().getPodIP() != null)
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
        if (running.isEmpty()) {
            return DispatcherCounts.sum(List.of(), "(" + SELECTOR + ") " + where);
        }
        ExecutorService askers = Executors.newFixedThreadPool(Math.min(running.size(), 8), r -> {
            Thread t = new Thread(r, "surge-status-dispatcher");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<DispatcherCounts.Answer>> asked = new ArrayList<>();
            for (Pod pod : running) {
                asked.add(CompletableFuture.supplyAsync(() -> ask(client, pod), askers));
            }
            return DispatcherCounts.sum(asked.stream().map(CompletableFuture::join).toList(), where);
        } finally {
            askers.shutdownNow();
        }
    }

    private static DispatcherCounts.Answer ask(KubernetesClient client, Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        int port = port(pod);
        String path = "/api/v1/namespaces/" + ns + "/pods/" + name + ":" + port + "/proxy/triggers";
        try {
            String body = client.raw(path);
            if (body == null) {
                return DispatcherCounts.Answer.failed(ns, name, "dispatcher pod " + ns + "/" + name + " answered 404"
                        + " to GET /triggers on port " + port + " (is it Surge's runtime?)");
            }
            JsonNode triggers = JSON.readTree(body);
            if (!triggers.isArray()) {
                return DispatcherCounts.Answer.failed(ns, name, "dispatcher pod " + ns + "/" + name + " answered no"
                        + " list of triggers to GET /triggers on port " + port);
            }
            return DispatcherCounts.Answer.of(ns, name, LocalStatus.triggers(triggers));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return DispatcherCounts.Answer.failed(ns, name, "the cluster refused to get pods/proxy in namespace "
                        + ns + " (403): the user needs 'get' on pods/proxy there to read the dispatchers' counts");
            }
            return DispatcherCounts.Answer.failed(ns, name, "dispatcher pod " + ns + "/" + name + " did not answer"
                    + " GET /triggers on port " + port + ": " + reason(e));
        } catch (JsonProcessingException e) {
            return DispatcherCounts.Answer.failed(ns, name, "dispatcher pod " + ns + "/" + name + " answered no JSON"
                    + " to GET /triggers on port " + port + ": " + e.getOriginalMessage());
        }
    }

    /** The runtime's port: the chart names it {@code http}; else a pod's first container port. */
    static int port(Pod pod) {
        List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of()
                : pod.getSpec().getContainers();
        ContainerPort first = null;
        for (Container c : containers) {
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if ("http".equals(p.getName()) && p.getContainerPort() != null) {
                    return p.getContainerPort();
                }
                if (first == null && p.getContainerPort() != null) {
                    first = p;
                }
            }
        }
        return first == null ? DEFAULT_PORT : first.getContainerPort();
    }

    /** The API server's own words when it sent a Status (e.g. the proxy's "error trying to reach service"). */
    private static String reason(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getCause() != null ? e.getCause().toString() : e.getMessage();
        return e.getCode() > 0 ? e.getCode() + " " + message : message;
    }
}
