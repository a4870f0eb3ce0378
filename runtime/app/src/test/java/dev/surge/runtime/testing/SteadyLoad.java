package dev.surge.runtime.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client posting binary-mode CloudEvents to a broker at a steady rate, in the background, whatever the answers:
 * the load a fault test keeps up while it kills or stops something. Every answer is recorded; the events answered
 * 202 are the ones Surge promised to deliver. Requests that get no answer (the runtime is down, the connection
 * was reset) count as not accepted. At most {@code maxInFlight} requests are open at once: beyond that a tick's
 * events are not sent (counted as skipped), so a stalled server does not pile up requests in the test.
 */
public final class SteadyLoad implements AutoCloseable {
    /** One request's outcome: its status (0: no answer), whether a 503 carried Retry-After, when it was answered. */
    public record Answer(String id, int status, String retryAfter, String contentType, long nanos) {
    }

    private static final long TICK_MS = 10;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steady-load");
        t.setDaemon(true);
        return t;
    });
    private final URI broker;
    private final String idPrefix;
    private final String type;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private double credit;

    /**
     * Starts posting {@code perSecond} events a second to {@code broker}, ids {@code idPrefix + n}, of {@code type}.
     */
    public SteadyLoad(URI broker, String idPrefix, String type, int perSecond, int maxInFlight) {
        this.broker = broker;
        this.idPrefix = idPrefix;
        this.type = type;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        double perTick = perSecond * TICK_MS / 1000.0;
        ticks.scheduleAtFixedRate(() -> {
            credit += perTick;
            while (credit >= 1) {
                credit -= 1;
                send();
            }
        }, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void send() {
        if (!inFlight.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        String id = idPrefix + next.getAndIncrement();
        HttpRequest request = HttpRequest.newBuilder(broker)
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test/steady-load")
                .header("ce-type", type).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, error) -> {
            inFlight.release();
            if (r == null) {
                answers.add(new Answer(id, 0, null, null, System.nanoTime()));
                return;
            }
            if (r.statusCode() == 202) {
                accepted.add(id);
            }
            answers.add(new Answer(id, r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                    r.headers().firstValue("Content-Type").orElse(null), System.nanoTime()));
        });
    }

    /** The ids answered 202 so far. */
    public Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    /** Every answer so far, in the order they came. */
    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** How many requests got each status so far (0: no answer). */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new TreeMap<>();
        answers.forEach(a -> out.merge(a.status(), 1L, Long::sum));
        return out;
    }

    /** Events not sent because {@code maxInFlight} requests were open. */
    public long skipped() {
        return skipped.get();
    }

    /**
     * Stops sending and waits for the answers of the requests still open (each times out after 10 s), so that
     * {@link #accepted()} is final afterwards.
     */
    @Override
    public void close() throws InterruptedException {
        ticks.shutdownNow();
        ticks.awaitTermination(5, TimeUnit.SECONDS);
        if (inFlight.tryAcquire(maxInFlight, 15, TimeUnit.SECONDS)) {
            inFlight.release(maxInFlight);
        }
    }
}
