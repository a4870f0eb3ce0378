package dev.surge.runtime.local;

import dev.surge.backlog.BacklogReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import dev.surge.core.resource.Trigger;
import dev.surge.core.scaling.RestartPolicy;
import dev.surge.runtime.metrics.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scaler with a fake backlog and fake processes: what it reads, what it starts, and resource changes. */
class LocalScalerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Backlog per trigger name, set by the test; records which triggers were asked. */
    private final Map<String, Long> backlog = new ConcurrentHashMap<>();
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    private final BacklogReader reader = (Trigger t) -> {
        asked.add(t.name());
        return backlog.getOrDefault(t.name(), 0L);
    };
    private final TestingProcesses processes = new TestingProcesses();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FunctionSupervisor supervisor = new FunctionSupervisor(processes, processes::port,
            Path.of("target", "scaler-test").toAbsolutePath(), RestartPolicy.DEFAULT,
            new Replica.Timing(Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofMillis(50), 3,
                    Duration.ofSeconds(5), Duration.ofSeconds(1)), Clock.systemUTC());
    private LocalScaler scaler;

    @AfterEach
    void close() {
        if (scaler != null) {
            scaler.close();
        }
        supervisor.close();
    }

    private static ResourceSet resources(String... docs) throws Exception {
        StringBuilder y = new StringBuilder("apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: events, "
                + "namespace: ns}\nspec: {partitions: 3}\n");
        for (String d : docs) {
            y.append("---\napiVersion: surge.dev/v1alpha1\n").append(d).append('\n');
        }
        return ResourceLoader.parse(y.toString(), "test", Path.of("target"));
    }

    private static String function(String name) {
        return "kind: Function\nmetadata: {name: " + name + ", namespace: ns}\nspec: {path: /apps/" + name
                + ", scaling: {maxReplicas: 4, lagThreshold: 10, pollingInterval: PT0.05S, cooldownPeriod: PT1H}}";
    }

    private static String trigger(String name, String function) {
        return "kind: Trigger\nmetadata: {name: " + name + ", namespace: ns}\nspec: {broker: events, filters: "
                + "[{exact: {type: " + name + "}}], function: " + function + "}";
    }

    private LocalScaler start(ResourceSet resources) {
        supervisor.apply(resources.functions());
        scaler = new LocalScaler(supervisor, reader, Clock.systemUTC(), registry);
        scaler.apply(resources);
        scaler.start();
        return scaler;
    }

    private int replicas(String function) {
        return supervisor.status("ns", function).orElseThrow().replicas();
    }

    @Test
    void noMatchingBacklogStartsNothingAndMatchingBacklogScalesByKedasRule() throws Exception {
        start(resources(function("f"), trigger("t1", "f")));
        // the reader answers 0: whatever raw lag the group has, nothing its filter accepts waits
        await().atMost(WAIT).until(() -> asked.contains("t1"));
        asked.clear();
        await().atMost(WAIT).until(() -> asked.contains("t1")); // a whole poll more
        assertThat(replicas("f")).isZero();
        assertThat(processes.created()).isEmpty();

        backlog.put("t1", 25L); // ceil(25 / 10) = 3
        await().atMost(WAIT).until(() -> replicas("f") == 3);
        assertThat(scaler.status("ns", "f").orElseThrow().backlog()).isEqualTo(25);
        assertThat(registry.get(Metrics.FUNCTION_BACKLOG).tag("function", "f").gauge().value()).isEqualTo(25.0);
    }

    /** A JVM can take longer to start than the cooldown; the activator waits for it meanwhile. */
    @Test
    void aReplicaStillStartingIsNotScaledAwayWhileSomeoneWaitsForIt() throws Exception {
        ResourceSet set = resources("kind: Function\nmetadata: {name: slow, namespace: ns}\nspec: {path: /apps/slow,"
                + " scaling: {pollingInterval: PT0.05S, cooldownPeriod: PT0.2S, stabilizationWindow: PT0.1S}}");
        processes.answerOnStart = false; // starting, not ready, for as long as the test needs
        start(set);
        ScheduledExecutorService activator = Executors.newSingleThreadScheduledExecutor();
        try {
            // what FunctionRoutes does while a synchronous call waits: signal every 10 ms while none is ready
            activator.scheduleAtFixedRate(() -> supervisor.activate("ns", "slow"), 0, 10, TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> replicas("slow") == 1);
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> replicas("slow") == 1
                    && processes.created().size() == 1 && !processes.created().get(0).stopRequested);
        } finally {
            activator.shutdownNow();
            activator.awaitTermination(5, TimeUnit.SECONDS);
        }
        // nobody waits any more: after the cooldown it goes
        await().atMost(WAIT).until(() -> replicas("slow") == 0);
        assertThat(processes.created().get(0).stopRequested).isTrue();
    }

    @Test
    void applyTracksAddedRemovedFunctionsAndChangedTriggers() throws Exception {
        start(resources(function("f"), trigger("t1", "f")));
        await().atMost(WAIT).until(() -> asked.contains("t1"));

        ResourceSet next = resources(function("f"), trigger("t2", "f"), function("g"), trigger("t3", "g"));
        supervisor.apply(next.functions());
        scaler.apply(next);
        asked.clear();
        await().atMost(WAIT).until(() -> asked.containsAll(Set.of("t2", "t3")));
        asked.clear();
        await().atMost(WAIT).until(() -> asked.containsAll(Set.of("t2", "t3")));
        assertThat(asked).as("the old trigger no longer counts").doesNotContain("t1");
        assertThat(registry.find(Metrics.FUNCTION_BACKLOG).tag("function", "g").gauge()).isNotNull();

        backlog.put("t3", 5L);
        await().atMost(WAIT).until(() -> replicas("g") == 1);

        ResourceSet last = resources(function("f"), trigger("t2", "f"));
        supervisor.apply(last.functions());
        scaler.apply(last);
        assertThat(scaler.status("ns", "g")).isEmpty();
        assertThat(supervisor.status("ns", "g")).isEmpty();
        assertThat(registry.find(Metrics.FUNCTION_BACKLOG).tag("function", "g").gauge()).as("its gauges are gone").isNull();
        assertThat(registry.find(Metrics.FUNCTION_REPLICAS).tag("function", "g").gauge()).isNull();
        assertThat(registry.find(Metrics.FUNCTION_BACKLOG).tag("function", "f").gauge()).isNotNull();
        asked.clear();
        await().atMost(WAIT).until(() -> asked.contains("t2"));
        asked.clear();
        await().atMost(WAIT).until(() -> asked.contains("t2"));
        assertThat(asked).as("the removed function's trigger is not read").doesNotContain("t3");
        await().atMost(WAIT).until(() -> processes.created().stream().allMatch(p -> p.stopRequested));
    }
}
