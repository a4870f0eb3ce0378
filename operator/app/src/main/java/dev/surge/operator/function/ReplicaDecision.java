package dev.surge.operator.function;

import dev.surge.core.scaling.LagSnapshot;
import dev.surge.core.scaling.Scaler;
import dev.surge.core.scaling.ScalingHistory;
import dev.surge.core.scaling.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When the Function reconciler decides replicas, and what: the shared {@link Scaler#decide} on the matching backlog,
 * with local mode's rules ({@code LocalScaler}): the backlog is read every {@code pollingInterval}; a dispatcher's
 * activation request decides at once for a function at zero, on the backlog last read (no Kafka call on that path),
 * and otherwise counts as work at the next decision, so a replica still starting is not cooled down while an
 * event waits for it. Pure: the reconciler does the reading and the writing.
 */
public final class ReplicaDecision {
    private ReplicaDecision() {
    }

    /**
     * What the scaler remembers of one Function between reconciles, in memory; a new leader (or a restart) rebuilds
     * it from the Function's status with {@link #restore}.
     *
     * @param history           the shared policy's history
     * @param backlog           the matching backlog last read
     * @param polledAt          when it was read, or null before the first read
     * @param answeredActivation the activation request that the last decision took into account, or null
     */
    public record Memory(ScalingHistory history, long backlog, Instant polledAt, Instant answeredActivation) {
        public Memory {
            Objects.requireNonNull(history, "history");
        }

        /** A Function seen for the first time, running {@code replicas}. */
        public static Memory first(int replicas, Instant now) {
            return new Memory(ScalingHistory.start(replicas, now), 0, null, null);
        }

        /**
         * The memory of a Function this operator has none of (it just became leader, or restarted), rebuilt from
         * what the scaler before it wrote in the Function's status, so a leader change neither restarts the
         * cooldown nor forgets the last scale:
         * <ul>
         * <li>last active: {@code lastActiveTime} when {@code status.lag} is 0 (the two are written together, so an
         * activation at zero, which is work with no backlog, is in it); now while the lag is above 0 or either is
         * unknown (work may be waiting). Never later than now. A status patch the last leader did not get to write
         * is covered by the Deployment's replicas (taken as they are) and the activation annotation (still
         * pending).
         * <li>last scale: {@code lastScaleTime}, which opens the stabilization window with the replicas running
         * ({@link ScalingHistory#restore}).
         * <li>backlog: {@code status.lag} (what an activation at zero decides on before the first poll); the first
         * reconcile polls.
         * </ul>
         *
         * @param replicas       the Deployment's replicas
         * @param lag            {@code status.lag}, or null
         * @param lastActiveTime {@code status.lastActiveTime}, or null
         * @param lastScaleTime  {@code status.lastScaleTime}, or null
         */
        public static Memory restore(int replicas, Long lag, Instant lastActiveTime, Instant lastScaleTime,
                Instant now) {
            Instant lastActive = lag != null && lag == 0 && lastActiveTime != null ? notAfter(lastActiveTime, now) : now;
            Instant lastScaled = lastScaleTime == null ? null : notAfter(lastScaleTime, now);
            return new Memory(ScalingHistory.restore(replicas, lastActive, lastScaled), lag == null ? 0 : lag, null,
                    null);
        }

        /** Another clock's time, never in this one's future (which would stretch a cooldown). */
        private static Instant notAfter(Instant t, Instant now) {
            return t.isAfter(now) ? now : t;
        }
    }

    /**
     * What one reconcile should do about replicas.
     *
     * @param poll   read the matching backlog now, then decide
     * @param decide decide (on the backlog just read, or else the last one)
     * @param signal a dispatcher's activation request not yet answered counts as work
     */
    public record Plan(boolean poll, boolean decide, boolean signal) {
    }

    /**
     * @param replicas      the Deployment's replicas, or null when there is no Deployment yet
     * @param activation    the Function's activation request (annotation), or null
     * @param lastScaleTime when the operator last changed the replicas (the Function's status), or null
     */
    public static Plan plan(Memory memory, ScalingPolicy policy, Integer replicas, Instant activation,
            Instant lastScaleTime, Instant now) {
        boolean signal = pending(activation, memory.answeredActivation(), lastScaleTime);
        boolean pollDue = memory.polledAt() == null || !now.isBefore(memory.polledAt().plus(policy.pollingInterval()));
        // At zero an activation must not wait for Kafka: decide at once on the backlog last read; the next
        // reconcile (the status patch's) polls.
        boolean activateNow = signal && replicas != null && replicas == 0;
        boolean poll = (pollDue || replicas == null) && !activateNow;
        return new Plan(poll, poll || activateNow, signal);
    }

    /** Time until the next poll is due, at least {@code floor} (so a reconcile never spins). */
    public static Duration untilNextPoll(Memory memory, ScalingPolicy policy, Instant now, Duration floor) {
        if (memory.polledAt() == null) {
            return floor;
        }
        Duration left = Duration.between(now, memory.polledAt().plus(policy.pollingInterval()));
        return left.compareTo(floor) < 0 ? floor : left;
    }

    /** A decision and the memory that follows it. */
    public record Outcome(Scaler.Result result, Memory memory) {
    }

    /**
     * Decides replicas with the shared policy.
     *
     * @param replicas       the Deployment's replicas now (0 when there is none yet); a change made outside the
     *                       scaler (a user's {@code kubectl scale}) is taken as the current value, as local mode
     *                       takes a crashed process
     * @param backlog        the matching backlog just read, or empty to use the last one
     * @param partitionLimit partitions of the Function's {@code ordered} triggers, or {@link Integer#MAX_VALUE}
     * @param activation     the activation request the plan counted as a signal, or null
     */
    public static Outcome decide(Memory memory, ScalingPolicy policy, int replicas, Optional<Long> backlog,
            int partitionLimit, boolean signal, Instant activation, Instant now) {
        long lag = backlog.orElse(memory.backlog());
        Scaler.Result result = Scaler.decide(new LagSnapshot(lag, 0, partitionLimit, signal), policy,
                memory.history().withReplicas(replicas), now);
        return new Outcome(result, new Memory(result.history(), lag,
                backlog.isPresent() ? now : memory.polledAt(),
                signal ? activation : memory.answeredActivation()));
    }

    /** A request counts once: not when the last decision already took it, nor when a later scale answered it. */
    static boolean pending(Instant activation, Instant answered, Instant lastScaleTime) {
        return activation != null
                && (answered == null || activation.isAfter(answered))
                && (lastScaleTime == null || activation.isAfter(lastScaleTime));
    }
}
