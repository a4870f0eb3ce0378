package dev.surge.operator.function;

import dev.surge.backlog.BacklogReader;
import dev.surge.core.resource.Trigger;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matching backlog of each Trigger that targets a Function, read from Kafka ({@link BacklogReader}: the
 * dispatchers' committed offsets and their backlog metadata, never raw consumer-group lag) when that Function's
 * scaler polls, and kept for the Trigger controller, which shows it as {@code status.lag}: one reader, so Kafka is
 * asked once per trigger and poll. A Trigger that cannot be read now keeps its last value (as local mode does).
 * Thread-safe: reconciles of different Functions read at once.
 */
public final class MatchingBacklogs {
    private static final Logger LOG = LoggerFactory.getLogger(MatchingBacklogs.class);

    private final BacklogReader reader;
    private final Map<ResourceID, Long> byTrigger = new ConcurrentHashMap<>();
    /** The Triggers each Function read last time, so a Trigger that no longer targets it is forgotten. */
    private final Map<ResourceID, Set<ResourceID>> triggersOf = new ConcurrentHashMap<>();
    /** The last failure per Trigger, so a lasting one (Kafka down) is logged once. */
    private final Map<ResourceID, String> failures = new ConcurrentHashMap<>();
    private volatile Consumer<ResourceID> onChange = id -> { };

    public MatchingBacklogs(BacklogReader reader) {
        this.reader = reader;
    }

    /** Called with a Trigger whose backlog changed (or was forgotten); set once, by the Trigger controller. */
    public void onChange(Consumer<ResourceID> listener) {
        this.onChange = Objects.requireNonNull(listener);
    }

    /** Reads the backlog of each of {@code function}'s triggers now and returns their sum. */
    public long read(ResourceID function, List<Trigger> triggers) {
        long total = 0;
        Set<ResourceID> ids = triggers.stream().map(MatchingBacklogs::id).collect(Collectors.toSet());
        for (Trigger t : triggers) {
            ResourceID id = id(t);
            Long known = byTrigger.get(id);
            long backlog;
            try {
                backlog = reader.matchingBacklog(t);
                if (failures.remove(id) != null) {
                    LOG.info("backlog of trigger {} readable again", id);
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                String why = String.valueOf(e.getMessage());
                if (!why.equals(failures.put(id, why))) {
                    LOG.warn("cannot read the backlog of trigger {} from Kafka ({}); keeping the last value {}", id,
                            why, known);
                }
                backlog = known == null ? 0 : known;
            }
            total += backlog;
            if (known == null || known != backlog) {
                byTrigger.put(id, backlog);
                onChange.accept(id);
            }
        }
        Set<ResourceID> before = triggersOf.put(function, ids);
        if (before != null) {
            before.stream().filter(id -> !ids.contains(id)).forEach(this::forgetTrigger);
        }
        return total;
    }

    /**
     * Reads one Trigger's backlog now, for a Trigger no Function's scaler reads (a {@code uri} target); neither
     * kept nor announced here. Empty when Kafka cannot be asked now.
     */
    public Optional<Long> readAlone(Trigger trigger) {
        ResourceID id = id(trigger);
        try {
            long backlog = reader.matchingBacklog(trigger);
            failures.remove(id);
            return Optional.of(backlog);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = String.valueOf(e.getMessage());
            if (!why.equals(failures.put(id, why))) {
                LOG.warn("cannot read the backlog of trigger {} from Kafka ({})", id, why);
            }
            return Optional.empty();
        }
    }

    /** The Function is gone: forget its Triggers' backlogs. */
    public void forget(ResourceID function) {
        Set<ResourceID> before = triggersOf.remove(function);
        if (before != null) {
            before.forEach(this::forgetTrigger);
        }
    }

    /** The backlog last read for a Trigger, or empty when no Function's scaler reads it. */
    public Optional<Long> of(ResourceID trigger) {
        return Optional.ofNullable(byTrigger.get(trigger));
    }

    private void forgetTrigger(ResourceID id) {
        failures.remove(id);
        if (byTrigger.remove(id) != null) {
            onChange.accept(id);
        }
    }

    private static ResourceID id(Trigger t) {
        return new ResourceID(t.name(), t.namespace());
    }
}
