package dev.surge.operator.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.backlog.BacklogReader;
import dev.surge.core.resource.Metadata;
import dev.surge.core.resource.Trigger;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backlog store between a Function's scaler and the Trigger controller, with a hand-written reader. */
class MatchingBacklogsTest {
    static final ResourceID PACKER = new ResourceID("packer", "shop");

    /** Answers what the test put in, or fails like a Kafka that does not answer. */
    static final class TestingReader implements BacklogReader {
        final Map<String, Long> backlogs = new HashMap<>();
        boolean down;

        @Override
        public long matchingBacklog(Trigger trigger) throws Exception {
            if (down) {
                throw new java.util.concurrent.TimeoutException("Kafka did not answer");
            }
            return backlogs.getOrDefault(trigger.name(), 0L);
        }
    }

    static Trigger trigger(String name) {
        return new Trigger(new Metadata(name, "shop"), "orders", event -> true, "packer", null,
                dev.surge.core.delivery.DeliverySpec.DEFAULT);
    }

    @Test
    void sumsTheTriggersKeepsEachForTheTriggerControllerAndAnnouncesChanges() {
        TestingReader reader = new TestingReader();
        MatchingBacklogs backlogs = new MatchingBacklogs(reader);
        List<ResourceID> changed = new ArrayList<>();
        backlogs.onChange(changed::add);
        reader.backlogs.put("pack", 500L);
        reader.backlogs.put("gift", 20L);

        assertThat(backlogs.read(PACKER, List.of(trigger("pack"), trigger("gift")))).isEqualTo(520);
        assertThat(backlogs.of(new ResourceID("pack", "shop"))).contains(500L);
        assertThat(changed).containsExactlyInAnyOrder(new ResourceID("pack", "shop"), new ResourceID("gift", "shop"));

        changed.clear();
        assertThat(backlogs.read(PACKER, List.of(trigger("pack"), trigger("gift")))).isEqualTo(520);
        assertThat(changed).as("nothing changed, nothing announced").isEmpty();
    }

    @Test
    void aKafkaThatCannotBeReadKeepsTheLastValues() {
        TestingReader reader = new TestingReader();
        MatchingBacklogs backlogs = new MatchingBacklogs(reader);
        reader.backlogs.put("pack", 300L);
        backlogs.read(PACKER, List.of(trigger("pack")));
        reader.down = true;
        assertThat(backlogs.read(PACKER, List.of(trigger("pack")))).isEqualTo(300);
        assertThat(backlogs.readAlone(trigger("pack"))).isEmpty();
    }

    @Test
    void aTriggerNoLongerTargetingTheFunctionAndADeletedFunctionAreForgotten() {
        TestingReader reader = new TestingReader();
        MatchingBacklogs backlogs = new MatchingBacklogs(reader);
        List<ResourceID> changed = new ArrayList<>();
        backlogs.onChange(changed::add);
        reader.backlogs.put("pack", 5L);
        reader.backlogs.put("gift", 6L);
        backlogs.read(PACKER, List.of(trigger("pack"), trigger("gift")));
        changed.clear();

        assertThat(backlogs.read(PACKER, List.of(trigger("pack")))).isEqualTo(5);
        assertThat(backlogs.of(new ResourceID("gift", "shop"))).isEmpty();
        assertThat(changed).containsExactly(new ResourceID("gift", "shop"));

        backlogs.forget(PACKER);
        assertThat(backlogs.of(new ResourceID("pack", "shop"))).isEmpty();
    }
}
