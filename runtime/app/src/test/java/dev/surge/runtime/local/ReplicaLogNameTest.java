package dev.surge.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaLogNameTest {
    @Test
    void replicaZeroHasNoNumberAndTheOthersTheirs() {
        assertThat(new ReplicaLogName("demo", "greeter", 0).fileName()).isEqualTo("demo.greeter.log");
        assertThat(new ReplicaLogName("demo", "greeter", 2).fileName()).isEqualTo("demo.greeter.2.log");
    }

    @Test
    void everyNameReadsBackToItsReplicaAndAFunctionNamedLikeAReplicaStaysItself() {
        assertThat(ReplicaLogName.parse("demo.greeter.log")).contains(new ReplicaLogName("demo", "greeter", 0));
        assertThat(ReplicaLogName.parse("demo.greeter.12.log")).contains(new ReplicaLogName("demo", "greeter", 12));
        assertThat(ReplicaLogName.parse("demo.worker-1.log")).contains(new ReplicaLogName("demo", "worker-1", 0));
        assertThat(ReplicaLogName.parse("demo.greeter.0.log")).isEqualTo(Optional.empty());
        assertThat(ReplicaLogName.parse("aot-training.log")).isEmpty();
        assertThat(ReplicaLogName.parse("demo.greeter.log.1")).isEmpty();
    }
}
