package dev.surge.runtime.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.resource.InvalidResourcesException;
import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reconciler with fakes for every port: what it starts, stops and in which order. */
class ReconcilerTest {
    private final List<String> calls = new ArrayList<>();
    private final FakeSource source = new FakeSource();
    private boolean kafkaDown;
    private String failingTrigger;

    private final Reconciler reconciler = new Reconciler(source,
            set -> {
                if (kafkaDown) {
                    throw new IllegalStateException("Kafka is unreachable");
                }
                calls.add("topics " + set.brokers().size());
            },
            t -> {
                if (t.name().equals(failingTrigger)) {
                    throw new IllegalStateException("cannot start " + t.name());
                }
                calls.add("start " + t.name() + " " + t.uri());
                return () -> calls.add("stop " + t.name() + " " + t.uri());
            },
            set -> calls.add("functions " + set.functions().stream().map(f -> f.name()).sorted().toList()));

    @Test
    void startsEverythingOnce() throws Exception {
        source.set(broker("b") + trigger("t1", "b", "/one") + trigger("t2", "b", "/two"));
        reconciler.applyNow();
        assertThat(calls).containsExactly("topics 1", "functions []", "start t1 http://sink/one",
                "start t2 http://sink/two");
        calls.clear();
        reconciler.applyNow();
        assertThat(calls).as("nothing changed, nothing done").isEmpty();
    }

    @Test
    void appliesOnlyTheDifferenceStoppingBeforeStarting() throws Exception {
        source.set(broker("b") + trigger("kept", "b", "/k") + trigger("changed", "b", "/old") + trigger("gone", "b", "/g"));
        reconciler.applyNow();
        calls.clear();

        source.set(broker("b") + trigger("kept", "b", "/k") + trigger("changed", "b", "/new") + trigger("added", "b", "/a"));
        reconciler.applyNow();

        assertThat(calls).containsExactlyInAnyOrder("topics 1", "stop gone http://sink/g",
                "stop changed http://sink/old", "functions []", "start changed http://sink/new",
                "start added http://sink/a");
        assertThat(calls.indexOf("functions []")).isGreaterThan(calls.indexOf("stop changed http://sink/old"))
                .isLessThan(calls.indexOf("start changed http://sink/new"));
        assertThat(reconciler.running().triggers()).extracting(t -> t.name())
                .containsExactlyInAnyOrder("kept", "changed", "added");
    }

    @Test
    void aFailedStepChangesNothingAndIsTriedAgain() throws Exception {
        source.set(broker("b") + trigger("t", "b", "/one"));
        reconciler.applyNow();
        ResourceSet before = reconciler.running();
        calls.clear();

        source.set(broker("b") + broker("c") + trigger("t", "b", "/one") + trigger("u", "c", "/two"));
        kafkaDown = true;
        assertThatThrownBy(reconciler::applyNow).hasMessageContaining("Kafka is unreachable");
        assertThat(calls).isEmpty();
        assertThat(reconciler.running()).isEqualTo(before);

        kafkaDown = false;
        reconciler.applyNow();
        assertThat(calls).containsExactly("topics 2", "functions []", "start u http://sink/two");
    }

    @Test
    void aTriggerThatFailedToStartIsStartedAtTheNextAttemptAndTheOthersRun() throws Exception {
        source.set(broker("b") + trigger("t1", "b", "/one") + trigger("t2", "b", "/two") + trigger("t3", "b", "/three"));
        failingTrigger = "t2";
        assertThatThrownBy(reconciler::applyNow).hasMessageContaining("cannot start t2");
        assertThat(calls).contains("start t1 http://sink/one", "start t3 http://sink/three");
        assertThat(reconciler.running().triggers()).as("the new set is visible").hasSize(3);
        calls.clear();

        failingTrigger = null;
        reconciler.applyNow();
        assertThat(calls).containsExactly("topics 1", "functions []", "start t2 http://sink/two");
        calls.clear();
        reconciler.applyNow();
        assertThat(calls).as("applied completely: nothing left to do").isEmpty();
    }

    @Test
    void closeStopsEveryTrigger() throws Exception {
        source.set(broker("b") + trigger("t1", "b", "/one") + trigger("t2", "b", "/two"));
        reconciler.applyNow();
        calls.clear();
        reconciler.close();
        assertThat(calls).containsExactlyInAnyOrder("stop t1 http://sink/one", "stop t2 http://sink/two");
    }

    private static String broker(String name) {
        return "apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: " + name + ", namespace: n}\n---\n";
    }

    private static String trigger(String name, String broker, String path) {
        return "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: " + name + ", namespace: n}\n"
                + "spec: {broker: " + broker + ", uri: 'http://sink" + path + "'}\n---\n";
    }

    /** A source whose set the test sets. */
    private static final class FakeSource implements ResourceSource {
        private ResourceSet current = ResourceSet.EMPTY;

        void set(String yaml) throws InvalidResourcesException {
            current = ResourceLoader.parse(yaml, "test.yaml", Path.of("."));
        }

        @Override
        public ResourceSet current() {
            return current;
        }

        @Override
        public Optional<ResourceSet> poll() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "test.yaml";
        }
    }
}
