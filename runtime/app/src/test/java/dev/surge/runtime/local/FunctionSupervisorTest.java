package dev.surge.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.resource.Function;
import dev.surge.core.scaling.RestartPolicy;
import dev.surge.runtime.dispatch.FunctionEndpoints;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The supervisor with fake processes: leases, retirement, restarts, readiness and resource changes. */
class FunctionSupervisorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Replica.Timing FAST = new Replica.Timing(Duration.ofSeconds(5), Duration.ofMillis(5),
            Duration.ofMillis(20), 3, Duration.ofSeconds(5), Duration.ofSeconds(1));
    private static final Function F = TestingProcesses.function("f", Map.of());

    private final TestingProcesses processes = new TestingProcesses();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private FunctionSupervisor supervisor(RestartPolicy policy) {
        FunctionSupervisor s = new FunctionSupervisor(processes, processes::port,
                Path.of("target", "supervisor-test").toAbsolutePath(), policy, FAST, Clock.systemUTC());
        toClose.add(s);
        s.apply(List.of(F));
        return s;
    }

    private FunctionSupervisor supervisor() {
        return supervisor(new RestartPolicy(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMinutes(1), 0));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static FunctionSupervisor.FunctionStatus status(FunctionSupervisor s, Function f) {
        return s.status(f.namespace(), f.name()).orElseThrow();
    }

    private static void awaitReady(FunctionSupervisor s, Function f, int n) {
        await().atMost(WAIT).until(() -> status(s, f).readyReplicas() == n && status(s, f).replicas() == n);
    }

    @Test
    void aReplicaSelectedForRetirementNeverReceivesANewLease() throws Exception {
        FunctionSupervisor s = supervisor();
        AtomicBoolean running = new AtomicBoolean(true);
        // the round whose scale-down has returned, or -1 while scaling up: a lease taken while it is r was
        // asked for after round r's scaleTo(1) returned
        AtomicInteger scaledDownIn = new AtomicInteger(-1);
        Map<Integer, Set<Integer>> leasedAfterScaleDown = new ConcurrentHashMap<>();
        AtomicInteger leases = new AtomicInteger();
        ExecutorService dispatchers = Executors.newFixedThreadPool(4);
        toClose.add(() -> {
            running.set(false);
            dispatchers.shutdown();
            dispatchers.awaitTermination(10, TimeUnit.SECONDS);
        });
        for (int t = 0; t < 4; t++) {
            dispatchers.execute(() -> {
                while (running.get()) {
                    int round = scaledDownIn.get();
                    Optional<FunctionEndpoints.Lease> lease = s.acquire(F.namespace(), F.name());
                    if (lease.isPresent()) {
                        leases.incrementAndGet();
                        TestingProcesses.Fake target = processes.at(lease.get().uri()).orElseThrow();
                        if (round >= 0) {
                            leasedAfterScaleDown.computeIfAbsent(round, r -> ConcurrentHashMap.newKeySet())
                                    .add(target.port());
                        }
                        target.deliver();
                        lease.get().release();
                    }
                }
            });
        }
        for (int round = 0; round < 30; round++) {
            scaledDownIn.set(-1);
            s.scaleTo(F.namespace(), F.name(), 4);
            awaitReady(s, F, 4);
            Set<Integer> before = Set.copyOf(status(s, F).ports());
            int leasesBefore = leases.get();
            await().atMost(WAIT).until(() -> leases.get() > leasesBefore + 100); // deliveries in full swing
            s.scaleTo(F.namespace(), F.name(), 1);
            scaledDownIn.set(round);
            Set<Integer> retired = before.stream().filter(p -> !status(s, F).ports().contains(p))
                    .collect(Collectors.toSet());
            assertThat(retired).hasSize(3);
            int leasesAtScaleDown = leases.get();
            await().atMost(WAIT).until(() -> leases.get() > leasesAtScaleDown + 100);
            assertThat(leasedAfterScaleDown.get(round)).as("leases taken after scaleTo(1) returned").isNotEmpty()
                    .doesNotContainAnyElementsOf(retired);
        }
        running.set(false);
        await().atMost(WAIT).until(() -> processes.created().stream().filter(p -> p.stopRequested).count() == 90);
        assertThat(processes.created().stream().mapToInt(p -> p.deliveriesAfterStop.get()).sum())
                .as("deliveries that reached a process after it was told to stop").isZero();
        assertThat(processes.created().stream().mapToInt(p -> p.deliveries.get()).sum()).isEqualTo(leases.get());
    }

    @Test
    void leasesNeverExceedConcurrencyPerReplica() {
        Function two = new Function(F.metadata(), null, F.path(), F.port(), F.env(), 2, F.scaling());
        FunctionSupervisor s = supervisor();
        s.apply(List.of(two));
        s.scaleTo(two.namespace(), two.name(), 2);
        awaitReady(s, two, 2);
        List<FunctionEndpoints.Lease> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(s.acquire(two.namespace(), two.name()).orElseThrow());
        }
        assertThat(s.acquire(two.namespace(), two.name())).as("both replicas at concurrency 2").isEmpty();
        assertThat(held.stream().map(FunctionEndpoints.Lease::uri).distinct()).hasSize(2);
        held.get(0).release();
        held.get(0).release(); // a second release frees nothing more
        assertThat(s.acquire(two.namespace(), two.name())).isPresent();
        assertThat(s.acquire(two.namespace(), two.name())).isEmpty();
    }

    @Test
    void aReplicaThatStopsAnsweringLeavesTheRotationAndIsRestarted() {
        FunctionSupervisor s = supervisor(new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMinutes(1), 0));
        s.scaleTo(F.namespace(), F.name(), 1);
        awaitReady(s, F, 1);
        TestingProcesses.Fake first = processes.last();

        first.answering = false; // alive, but its readiness probe fails from now on
        await().atMost(WAIT).until(() -> !s.hasReady(F.namespace(), F.name()));
        assertThat(s.acquire(F.namespace(), F.name())).as("out of the rotation").isEmpty();
        assertThat(first.stopRequested).as("the hung process is stopped").isTrue();

        await().atMost(WAIT).until(() -> s.hasReady(F.namespace(), F.name()));
        TestingProcesses.Fake second = processes.last();
        assertThat(second).isNotSameAs(first);
        assertThat(s.acquire(F.namespace(), F.name()).orElseThrow().uri()).isEqualTo(second.endpoint());
        assertThat(status(s, F).restarts()).isEqualTo(1);
        assertThat(status(s, F).replicas()).isEqualTo(1);
    }

    @Test
    void aReplicaThatCannotBindItsPortIsRestartedOnANewPort() {
        FunctionSupervisor s = supervisor();
        int taken = 20_000; // the first port the fakes hand out: another process got it first
        processes.takenPorts.add(taken);
        s.scaleTo(F.namespace(), F.name(), 1);
        awaitReady(s, F, 1);

        assertThat(processes.created()).hasSize(2);
        assertThat(processes.created().get(0).port()).isEqualTo(taken);
        assertThat(processes.created().get(0).bindFailed).isTrue();
        assertThat(status(s, F).ports()).containsExactly(processes.created().get(1).port()).doesNotContain(taken);
        assertThat(status(s, F).lastExitCode()).as("a lost port race is no crash").isNull();
    }

    @Test
    void aCrashedReplicaIsRestartedAndAScheduledRestartNeverRevivesARetiredOne() {
        FunctionSupervisor s = supervisor(new RestartPolicy(Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofMinutes(1), 0));
        s.scaleTo(F.namespace(), F.name(), 1);
        awaitReady(s, F, 1);
        processes.last().crash(3);
        await().atMost(WAIT).until(() -> processes.created().size() == 2);
        awaitReady(s, F, 1);
        assertThat(status(s, F).lastExitCode()).isEqualTo(3);
        assertThat(status(s, F).restarts()).isEqualTo(1);

        processes.last().crash(3); // a restart is now scheduled 400 ms ahead …
        s.scaleTo(F.namespace(), F.name(), 0); // … and the replica is retired before it runs
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> processes.created().size() == 2);
        await().atMost(WAIT).until(() -> status(s, F).replicas() == 0);
    }

    @Test
    void aProcessThatCannotBeLaunchedIsRetriedByThePolicy() {
        FunctionSupervisor s = supervisor();
        processes.launchFails = true;
        s.scaleTo(F.namespace(), F.name(), 1);
        await().atMost(WAIT).until(() -> status(s, F).restarts() >= 2);
        assertThat(status(s, F).readyReplicas()).isZero();
        processes.launchFails = false;
        awaitReady(s, F, 1);
    }

    @Test
    void aCrashLoopHoldsTheFunctionUntilItsSpecChanges() {
        FunctionSupervisor s = supervisor(new RestartPolicy(Duration.ofMillis(5), Duration.ofMillis(20),
                Duration.ofMinutes(1), 2));
        processes.crashOnStart = true;
        s.scaleTo(F.namespace(), F.name(), 1);
        await().atMost(WAIT).until(() -> status(s, F).held());
        assertThat(processes.created()).as("first start and two restarts").hasSize(3);
        assertThat(status(s, F).failure()).contains("gave up restarting").contains("3 crashes");
        await().atMost(WAIT).until(() -> status(s, F).replicas() == 0);
        s.scaleTo(F.namespace(), F.name(), 1);
        assertThat(processes.created()).as("held: the scaler cannot start it").hasSize(3);

        processes.crashOnStart = false;
        Function fixed = TestingProcesses.function("f", Map.of("FIXED", "yes"));
        s.apply(List.of(fixed));
        assertThat(status(s, fixed).held()).isFalse();
        s.scaleTo(fixed.namespace(), fixed.name(), 1);
        awaitReady(s, fixed, 1);
        assertThat(processes.last().function).isEqualTo(fixed);
    }

    @Test
    void applyAddsRemovesAndRestartsChangedFunctions() {
        FunctionSupervisor s = supervisor();
        Function g = TestingProcesses.function("g", Map.of());
        s.apply(List.of(F, g));
        assertThat(s.status()).extracting(st -> st.function().name()).containsExactlyInAnyOrder("f", "g");
        assertThat(processes.created()).as("registered, not started").isEmpty();

        s.scaleTo(F.namespace(), F.name(), 2);
        s.scaleTo(g.namespace(), g.name(), 1);
        awaitReady(s, F, 2);
        awaitReady(s, g, 1);
        List<TestingProcesses.Fake> oldF = processes.created().stream().filter(p -> p.function.equals(F)).toList();
        TestingProcesses.Fake oldG = processes.created().stream().filter(p -> p.function.equals(g)).findFirst()
                .orElseThrow();

        s.apply(List.of(F, g)); // the same set again: nothing restarts
        assertThat(processes.created()).hasSize(3);

        Function newF = TestingProcesses.function("f", Map.of("GREETING", "Hello"));
        var changes = s.apply(List.of(newF));
        assertThat(changes.changed()).extracting(c -> c.after()).containsExactly(newF);
        assertThat(changes.removed()).containsExactly(g);

        assertThat(s.status(g.namespace(), g.name())).as("removed").isEmpty();
        assertThat(s.acquire(g.namespace(), g.name())).isEmpty();
        await().atMost(WAIT).until(() -> oldG.stopRequested && oldF.stream().allMatch(p -> p.stopRequested));

        awaitReady(s, newF, 2);
        assertThat(status(s, newF).function()).isEqualTo(newF);
        List<TestingProcesses.Fake> serving = processes.created().stream().filter(p -> p.alive).toList();
        assertThat(serving).hasSize(2).allMatch(p -> p.function.equals(newF));
    }

    @Test
    void stopHoldsTheFunctionAndStartBringsOneReplicaBack() throws Exception {
        FunctionSupervisor s = supervisor();
        s.scaleTo(F.namespace(), F.name(), 2);
        awaitReady(s, F, 2);
        s.stop(F.namespace(), F.name());
        assertThat(s.hasReady(F.namespace(), F.name())).isFalse();
        assertThat(processes.created()).allMatch(p -> p.stopRequested);
        s.scaleTo(F.namespace(), F.name(), 2);
        assertThat(status(s, F).replicas()).as("held").isZero();

        assertThat(s.start(F.namespace(), F.name())).isTrue();
        assertThat(status(s, F).readyReplicas()).isEqualTo(1);
    }
}
