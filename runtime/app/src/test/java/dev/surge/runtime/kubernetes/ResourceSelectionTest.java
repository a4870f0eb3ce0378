package dev.surge.runtime.kubernetes;

import static dev.surge.runtime.kubernetes.Documents.broker;
import static dev.surge.runtime.kubernetes.Documents.function;
import static dev.surge.runtime.kubernetes.Documents.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Resource;
import dev.surge.runtime.kubernetes.ResourceSelection.Rejected;
import dev.surge.runtime.kubernetes.ResourceSelection.Selection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResourceSelectionTest {

    @Test
    void validResourcesAllRun() {
        Selection s = ResourceSelection.select(List.of(
                trigger("shop", "greet", "broker: events\nfunction: greeter\nfilters: [{exact: {type: greet}}]"),
                function("shop", "greeter", "image: ghcr.io/acme/greeter:1\nport: 9000"),
                broker("shop", "events")));

        assertThat(names(s)).containsExactlyInAnyOrder("Broker shop/events", "Function shop/greeter",
                "Trigger shop/greet");
        assertThat(s.resources().function("shop", "greeter").orElseThrow().port()).isEqualTo(9000);
        assertThat(s.rejected()).isEmpty();
    }

    @Test
    void anInvalidTriggerIsLeftOutWithItsProblemAndTheOthersRun() {
        Selection s = ResourceSelection.select(List.of(
                broker("shop", "events"),
                trigger("shop", "bad-sql", "broker: events\nuri: http://sink/\nfilters: [{cesql: \"type =\"}]"),
                trigger("shop", "good", "broker: events\nuri: http://sink/")));

        assertThat(names(s)).containsExactlyInAnyOrder("Broker shop/events", "Trigger shop/good");
        assertThat(s.rejected()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("Trigger shop/bad-sql");
            assertThat(r.lines()).singleElement().asString()
                    .startsWith("Trigger shop/bad-sql: spec.filters[0].cesql: ");
        });
    }

    @Test
    void aTriggerNamingAMissingBrokerOrFunctionIsLeftOut() {
        Selection s = ResourceSelection.select(List.of(
                broker("shop", "events"),
                trigger("shop", "no-function", "broker: events\nfunction: ghost"),
                trigger("shop", "no-broker", "broker: elsewhere\nuri: http://sink/"),
                // Same names in another namespace do not count: references are within a namespace.
                function("other", "ghost", "image: x"),
                trigger("shop", "fine", "broker: events\nuri: http://sink/")));

        assertThat(names(s)).containsExactlyInAnyOrder("Broker shop/events", "Function other/ghost",
                "Trigger shop/fine");
        assertThat(s.rejected()).extracting(Rejected::id)
                .containsExactlyInAnyOrder("Trigger shop/no-function", "Trigger shop/no-broker");
        assertThat(lines(s)).anySatisfy(l -> assertThat(l).startsWith("Trigger shop/no-function: spec.function: ")
                .contains("ghost"));
        assertThat(lines(s)).anySatisfy(l -> assertThat(l).startsWith("Trigger shop/no-broker: spec.broker: ")
                .contains("elsewhere"));
    }

    @Test
    void aTriggerOfAnInvalidBrokerOrFunctionIsLeftOutToo() {
        Selection s = ResourceSelection.select(List.of(
                resourceWithBadPartitions(),
                function("shop", "broken", "image: x\nscaling: {minReplicas: 3, maxReplicas: 1}"),
                broker("shop", "events"),
                trigger("shop", "of-bad-broker", "broker: bad\nuri: http://sink/"),
                trigger("shop", "to-bad-function", "broker: events\nfunction: broken"),
                trigger("shop", "dead-letters-to-bad-function", "broker: events\nuri: http://sink/\n"
                        + "delivery: {deadLetterSink: {function: broken}}")));

        assertThat(names(s)).containsExactly("Broker shop/events");
        assertThat(s.rejected()).extracting(Rejected::id).containsExactlyInAnyOrder("Broker shop/bad",
                "Function shop/broken", "Trigger shop/of-bad-broker", "Trigger shop/to-bad-function",
                "Trigger shop/dead-letters-to-bad-function");
        assertThat(lines(s)).anySatisfy(l -> assertThat(l).startsWith("Broker shop/bad: spec.partitions: "));
        assertThat(lines(s)).anySatisfy(l -> assertThat(l).startsWith("Function shop/broken: spec.scaling"));
    }

    @Test
    void nothingGivesTheEmptySet() {
        Selection s = ResourceSelection.select(List.of());
        assertThat(s.resources().brokers()).isEmpty();
        assertThat(s.rejected()).isEmpty();
    }

    private static io.fabric8.kubernetes.api.model.GenericKubernetesResource resourceWithBadPartitions() {
        return Documents.resource("Broker", "shop", "bad", "partitions: 0");
    }

    private static List<String> names(Selection s) {
        return Stream.of(s.resources().brokers(), s.resources().functions(), s.resources().triggers())
                .flatMap(List::stream).map(ResourceSelectionTest::name).toList();
    }

    private static String name(Resource r) {
        return r.kind() + " " + r.namespace() + "/" + r.name();
    }

    private static List<String> lines(Selection s) {
        return s.rejected().stream().flatMap(r -> r.lines().stream()).toList();
    }
}
