package dev.surge.runtime.dispatch;

import dev.surge.core.delivery.RestartBackoff;
import java.time.Duration;

/**
 * The bounds one trigger's dispatcher keeps.
 *
 * @param partitionBytes a partition pauses while its unfinished events hold more (16 MiB), resumes below half
 * @param triggerBytes   every partition pauses while the trigger's unfinished events hold more (64 MiB)
 * @param drainGrace     how long a stopping dispatcher waits for deliveries in flight (10 s)
 * @param restarts       the pause before a consumer loop that failed is started again (1 s doubling to 30 s)
 */
record DispatchLimits(long partitionBytes, long triggerBytes, Duration drainGrace, RestartBackoff restarts) {
    static final DispatchLimits DEFAULT = new DispatchLimits(16L * 1024 * 1024, 64L * 1024 * 1024,
            Duration.ofSeconds(10), RestartBackoff.DEFAULT);

    DispatchLimits {
        if (partitionBytes <= 0 || triggerBytes < partitionBytes || drainGrace.isNegative()) {
            throw new IllegalArgumentException("dispatch limits need 0 < partitionBytes <= triggerBytes and a drain"
                    + " grace >= 0, got " + partitionBytes + ", " + triggerBytes + ", " + drainGrace);
        }
    }

    DispatchLimits withPartitionBytes(long bytes) {
        return new DispatchLimits(bytes, Math.max(bytes, triggerBytes), drainGrace, restarts);
    }
}
