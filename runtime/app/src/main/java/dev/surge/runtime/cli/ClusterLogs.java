package dev.surge.runtime.cli;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A function's output on a cluster: the logs of the pods of its Deployment, which the operator labels
 * {@code surge.dev/function=<name>} and whose container is {@code function}. Each line is printed with its pod in
 * front, {@code [greeter-6d9f…] …}.
 */
final class ClusterLogs {
    /** The label the operator puts on a Function's pods (operator/app's {@code FunctionWorkload.LABEL_FUNCTION}). */
    static final String FUNCTION_LABEL = "surge.dev/function";
    /** The container of a function's pod (operator/app's {@code FunctionWorkload.CONTAINER}). */
    static final String CONTAINER = "function";

    private final KubernetesClient client;
    private final String namespace;
    private final String function;
    private final Map<String, LogWatch> watches = new LinkedHashMap<>();

    ClusterLogs(KubernetesClient client, String namespace, String function) {
        this.client = client;
        this.namespace = namespace;
        this.function = function;
    }

    /** The function's pods now, by name. */
    List<Pod> pods() {
        List<Pod> pods = new ArrayList<>(client.pods().inNamespace(namespace).withLabel(FUNCTION_LABEL, function).list()
                .getItems());
        pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        return pods;
    }

    /** Prints the log of each pod (its last {@code tail} lines, or all for null), pod after pod. */
    void print(List<Pod> pods, Integer tail, Consumer<String> out) {
        for (Pod pod : pods) {
            var log = container(pod);
            String text = tail == null ? log.getLog() : log.tailingLines(tail).getLog();
            String prefix = "[" + pod.getMetadata().getName() + "] ";
            text.lines().forEach(l -> out.accept(prefix + l));
        }
    }

    /**
     * Starts following the pods not followed yet (their last {@code tail} lines first, or all for null); each
     * line is passed to {@code out} as it comes, from the client's threads.
     *
     * @return how many pods it started following
     */
    int follow(List<Pod> pods, Integer tail, Consumer<String> out) {
        int started = 0;
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            if (watches.containsKey(name)) {
                continue;
            }
            var log = container(pod);
            watches.put(name, (tail == null ? log : log.tailingLines(tail)).watchLog(new PrefixedLines("[" + name
                    + "] ", out)));
            started++;
        }
        return started;
    }

    /** Stops following. */
    void close() {
        watches.values().forEach(LogWatch::close);
        watches.clear();
    }

    private io.fabric8.kubernetes.client.dsl.ContainerResource container(Pod pod) {
        PodResource resource = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName());
        List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
        if (containers.stream().anyMatch(c -> CONTAINER.equals(c.getName())) || containers.isEmpty()) {
            return resource.inContainer(CONTAINER);
        }
        return resource.inContainer(containers.get(0).getName());
    }

    /** An output stream that passes each complete line, with a prefix, to a consumer (synchronised across pods). */
    static final class PrefixedLines extends OutputStream {
        private final String prefix;
        private final Consumer<String> out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        PrefixedLines(String prefix, Consumer<String> out) {
            this.prefix = prefix;
            this.out = out;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                synchronized (out) {
                    out.accept(prefix + (s.endsWith("\r") ? s.substring(0, s.length() - 1) : s));
                }
            } else {
                line.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void close() {
            if (line.size() > 0) {
                write('\n');
            }
        }
    }
}
