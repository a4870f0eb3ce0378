package dev.surge.runtime.dispatch;

import dev.surge.core.KafkaNames;
import dev.surge.core.delivery.RestartBackoff;
import dev.surge.core.resource.Trigger;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs one trigger, supervised: a thread of its own runs {@link ConsumerLoop}s one after the other. A run
 * that fails with an unexpected error (the consumer, or a bug of the engine) is logged with the trigger's
 * namespace/name, counted ({@code surge.dispatch.restarts}) and replaced by a new run — new consumer, new
 * engine — after an exponential backoff ({@link RestartBackoff}, 1 s to 30 s). One event never stops a
 * trigger: what fails with one event is a failed attempt of that event (see {@link Attempts}).
 *
 * <p>At-least-once: offsets are committed only past events that were delivered, dead-lettered or filtered
 * out. On {@link #close()} the run stops starting deliveries, waits for those in flight (up to 10 s), and the
 * last offsets are committed before the consumer leaves its group.
 */
public final class TriggerDispatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TriggerDispatcher.class);

    /** Where the trigger's supervision stands. */
    public enum State {
        /** A consumer loop runs. */
        RUNNING,
        /** The last run failed; the next one starts after the backoff. */
        RESTARTING,
        /** Closed, or not started yet. */
        STOPPED
    }

    /**
     * What {@code GET /triggers} shows of one trigger.
     *
     * @param restarts           restarts after unexpected errors since the dispatcher started
     * @param lastError          the last such error, or null
     * @param lastErrorAt        when it happened, or null
     * @param assignedPartitions the partitions of the broker's topic this dispatcher holds now
     * @param matchedBacklog     matching events not finished, read or not (see {@link #matchedBacklog()})
     * @param inFlight           deliveries in flight now, retries waiting included
     * @param delivered          events delivered with a 2xx since this process started (a redelivery counts again)
     * @param deadLettered       events given up on since this process started, by sink ({@code topic}, {@code uri},
     *                           {@code function}, {@code none}; {@code failed}: the sink refused them for good too)
     */
    public record Status(String namespace, String name, String consumerGroup, State state, int restarts,
            String lastError, Instant lastErrorAt, List<String> assignedPartitions, long matchedBacklog,
            int inFlight, long delivered, Map<String, Long> deadLettered) {
    }

    private final Trigger trigger;
    private final Supplier<ConsumerLoop> loops;
    private final RestartBackoff backoff;
    private final Duration drainGrace;
    private final Clock clock;
    private final DispatchMeters meters;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile ConsumerLoop current;
    private volatile State state = State.STOPPED;
    private volatile int restarts;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /**
     * @param instanceId            this process's name among the dispatchers of this trigger (the pod's name on
     *                              Kubernetes): part of the consumer's static member id
     * @param kafkaClientProperties bootstrap servers and any client settings (security) for the consumer; the
     *                              dispatcher adds its own (group, offsets, isolation) on top
     */
    public TriggerDispatcher(Trigger trigger, String instanceId, Map<String, Object> kafkaClientProperties,
            Producer<String, byte[]> producer, EventSender sender, FunctionEndpoints endpoints, MeterRegistry registry,
            Vertx vertx) {
        this(trigger, () -> new KafkaConsumer<>(consumerConfig(trigger, instanceId, kafkaClientProperties),
                new StringDeserializer(), new ByteArrayDeserializer()), producer, sender, endpoints, registry, vertx,
                DispatchLimits.DEFAULT, Clock.systemUTC());
    }

    TriggerDispatcher(Trigger trigger, Supplier<Consumer<String, byte[]>> consumers, Producer<String, byte[]> producer,
            EventSender sender, FunctionEndpoints endpoints, MeterRegistry registry, Vertx vertx, DispatchLimits limits,
            Clock clock) {
        this.trigger = trigger;
        this.backoff = limits.restarts();
        this.drainGrace = limits.drainGrace();
        this.clock = clock;
        this.meters = new DispatchMeters(trigger, registry, this::inFlight, this::matchedBacklog);
        RecordReader reader = new RecordReader(trigger, trigger.filter()::test, meters.filtered::increment,
                meters.unreadable::increment);
        this.loops = () -> {
            Consumer<String, byte[]> consumer = consumers.get();
            // A context of its own per run: the engine's callbacks never queue behind another trigger's, and
            // nothing of a failed run's engine is shared with the next.
            Context context = vertx.getOrCreateContext();
            return new ConsumerLoop(trigger, consumer, context, control -> new DeliveryEngine(trigger, context, sender,
                    endpoints, producer, control, meters, limits.partitionBytes(), limits.triggerBytes()), reader,
                    limits.drainGrace());
        };
        this.thread = new Thread(this::supervise, "surge-trigger-" + trigger.namespace() + "-" + trigger.name());
    }

    /**
     * The consumer's settings: the given client properties (bootstrap servers and the user's settings), with the
     * dispatcher's guarantees on top and its tuning below.
     */
    static Map<String, Object> consumerConfig(Trigger trigger, String instanceId,
            Map<String, Object> kafkaClientProperties) {
        Map<String, Object> c = new HashMap<>(kafkaClientProperties);
        String id = "surge-dispatcher-" + trigger.namespace() + "-" + trigger.name();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaNames.triggerGroup(trigger.namespace(), trigger.name()));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
        // Static membership: a runtime restarted after a crash (or a restarted run) takes its partitions back
        // at once instead of waiting out the dead member's session (45 s). The id names the process too, so
        // several dispatcher processes (pods) share a trigger's partitions instead of fencing each other.
        // Kafka allows only ASCII letters, digits, '.', '_' and '-' here, and 249 characters.
        String member = (id + "." + instanceId).replaceAll("[^a-zA-Z0-9._-]", "_");
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, member.substring(0, Math.min(member.length(), 249)));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Batches are Kafka transactions: a trigger sees all of a batch's events or none.
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A new trigger sees every event its broker still retains: nothing posted before the trigger's group
        // first joined is silently skipped.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Large fetches per partition: when one partition is left of a backlog, it alone must keep the
        // deliveries busy (no slow tail). Tuning only: a value the user gives wins.
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        c.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        // fetch.min.bytes and fetch.max.wait.ms stay Kafka's (1 byte, 500 ms): an idle consumer long-polls in the
        // broker at no cost, and an event is fetched the moment it arrives. Fetches stay large under a flood
        // because the loop pauses after a small poll (ConsumerLoop.PACE). Until 2026-12 these were 32 KiB and
        // 2 ms, which made each idle trigger fetch 500 times a second: half a core for the demo's four.
        return c;
    }

    public void start() {
        state = State.RESTARTING;
        thread.start();
    }

    private void supervise() {
        int failuresInRow = 0;
        while (closed.getCount() > 0) {
            Instant started = clock.instant();
            try {
                ConsumerLoop loop = loops.get();
                current = loop;
                if (closed.getCount() == 0) {
                    loop.stop(); // close() came while this run was made: it still commits and leaves cleanly
                }
                state = State.RUNNING;
                loop.run();
            } catch (Throwable e) {
                if (closed.getCount() == 0) {
                    LOG.warnf(e, "trigger %s/%s: error while stopping", trigger.namespace(), trigger.name());
                    break;
                }
                Duration ran = Duration.between(started, clock.instant());
                failuresInRow = backoff.healthy(ran) ? 1 : failuresInRow + 1;
                Duration pause = backoff.delay(failuresInRow);
                restarts++;
                lastError = e.toString();
                lastErrorAt = clock.instant();
                state = State.RESTARTING;
                meters.restarts.increment();
                LOG.errorf(e, "trigger %s/%s failed; restarting it in %d ms (restart %d)", trigger.namespace(),
                        trigger.name(), pause.toMillis(), restarts);
                try {
                    closed.await(pause.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        state = State.STOPPED;
    }

    public Trigger trigger() {
        return trigger;
    }

    /** Where the trigger stands now. Thread-safe. */
    public Status status() {
        ConsumerLoop loop = current;
        List<String> partitions = loop == null || state != State.RUNNING ? List.of()
                : loop.assigned().stream().map(tp -> tp.topic() + "-" + tp.partition()).sorted().toList();
        return new Status(trigger.namespace(), trigger.name(), KafkaNames.triggerGroup(trigger.namespace(),
                trigger.name()), state, restarts, lastError, lastErrorAt, partitions, matchedBacklog(), inFlight(),
                (long) meters.delivered.count(), meters.deadLetteredBySink());
    }

    /** For readiness: a consumer loop runs (not restarting after an error, not stopped). */
    public boolean isAlive() {
        return state == State.RUNNING && thread.isAlive();
    }

    /**
     * Matching events of this trigger not finished yet: those read and not delivered or dead-lettered, plus
     * the unread ones estimated with the observed match ratio. Events its filter passes over never count.
     * Thread-safe; as of the engine's last commit tick (200 ms).
     */
    public long matchedBacklog() {
        ConsumerLoop loop = current;
        return loop == null ? 0 : loop.matchedBacklog();
    }

    int inFlight() {
        ConsumerLoop loop = current;
        return loop == null ? 0 : loop.inFlight();
    }

    /** Stops polling, lets deliveries in flight finish (up to the drain grace, 10 s), commits, and leaves the group. */
    @Override
    public void close() {
        closed.countDown();
        ConsumerLoop loop = current;
        if (loop != null) {
            loop.stop();
        }
        try {
            thread.join(drainGrace.toMillis() + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
        meters.removeGauges();
    }
}
