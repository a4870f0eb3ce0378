package dev.surge.core.resource;

import static dev.surge.core.resource.ResourceValuesTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceChangesTest {
    private static String broker(String namespace, String name, int partitions) {
        return "apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: " + name + ", namespace: " + namespace
                + "}\nspec: {partitions: " + partitions + "}\n";
    }

    private static String function(String namespace, String name, String path) {
        return "apiVersion: surge.dev/v1alpha1\nkind: Function\nmetadata: {name: " + name + ", namespace: "
                + namespace + "}\nspec: {path: " + path + "}\n";
    }

    private static String trigger(String namespace, String name, String function, String type) {
        return "apiVersion: surge.dev/v1alpha1\nkind: Trigger\nmetadata: {name: " + name + ", namespace: " + namespace
                + "}\nspec: {broker: b, function: " + function + ", filters: [{exact: {type: " + type + "}}]}\n";
    }

    private static final String B = broker("shop", "b", 3);
    private static final String F = function("shop", "f", "app-f");
    private static final String G = function("shop", "g", "app-g");
    private static final String T = trigger("shop", "t", "f", "order.placed");

    private static ResourceSet set(String... documents) {
        if (documents.length == 0) {
            return ResourceSet.EMPTY;
        }
        try {
            return read(documents);
        } catch (InvalidResourcesException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** Every change as "added|removed|changed Kind/namespace/name", in the diff's order. */
    private static List<String> described(ResourceChanges changes) {
        List<String> out = new ArrayList<>();
        for (ResourceChanges.Changes<?> c : List.of(changes.brokers(), changes.functions(), changes.triggers())) {
            c.added().forEach(r -> out.add("added " + r.id()));
            c.removed().forEach(r -> out.add("removed " + r.id()));
            c.changed().forEach(r -> out.add("changed " + r.after().id()));
        }
        return out;
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // case, running, next, expected changes
                Arguments.of("nothing runs, nothing read", set(), set(), List.of()),
                Arguments.of("same set", set(B, F, T), set(B, F, T), List.of()),
                Arguments.of("same set, other order", set(B, F, G, T), set(T, G, B, F), List.of()),
                Arguments.of("first read starts everything", set(), set(B, F, T),
                        List.of("added Broker/shop/b", "added Function/shop/f", "added Trigger/shop/t")),
                Arguments.of("empty file stops everything", set(B, F, T), set(),
                        List.of("removed Broker/shop/b", "removed Function/shop/f", "removed Trigger/shop/t")),
                Arguments.of("a function added", set(B, F, T), set(B, F, G, T), List.of("added Function/shop/g")),
                Arguments.of("a trigger and its function removed", set(B, F, G, T), set(B, G),
                        List.of("removed Function/shop/f", "removed Trigger/shop/t")),
                Arguments.of("a filter changed", set(B, F, T), set(B, F, trigger("shop", "t", "f", "order.paid")),
                        List.of("changed Trigger/shop/t")),
                Arguments.of("a trigger retargeted", set(B, F, G, T), set(B, F, G, trigger("shop", "t", "g",
                        "order.placed")), List.of("changed Trigger/shop/t")),
                Arguments.of("a function's path changed, its trigger not", set(B, F, T),
                        set(B, function("shop", "f", "app-f2"), T), List.of("changed Function/shop/f")),
                Arguments.of("a broker's partitions changed", set(B), set(broker("shop", "b", 6)),
                        List.of("changed Broker/shop/b")),
                Arguments.of("a rename is a removal and an addition", set(B, F, T),
                        set(B, F, trigger("shop", "t2", "f", "order.placed")),
                        List.of("added Trigger/shop/t2", "removed Trigger/shop/t")),
                Arguments.of("same name in another namespace is another resource", set(B, F),
                        set(B, F, function("bank", "f", "app-f")), List.of("added Function/bank/f")),
                Arguments.of("same name of another kind is another resource", set(B),
                        set(B, function("shop", "b", "app-b")), List.of("added Function/shop/b")),
                Arguments.of("everything at once", set(B, F, G, T),
                        set(broker("shop", "b", 4), F, function("shop", "h", "app-h"), trigger("shop", "t", "h", "x")),
                        List.of("changed Broker/shop/b", "added Function/shop/h", "removed Function/shop/g",
                                "changed Trigger/shop/t")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void changesAreTheDifferenceByIdentity(String name, ResourceSet running, ResourceSet next, List<String> expected) {
        ResourceChanges changes = ResourceChanges.between(running, next);

        assertThat(described(changes)).containsExactlyElementsOf(expected);
        assertThat(changes.isEmpty()).isEqualTo(expected.isEmpty());
        assertThat(changes.isEmpty()).isEqualTo(running.equals(next));
    }

    @Test
    void aChangeCarriesTheRunningAndTheNextVersion() {
        ResourceSet running = set(B, F, T);
        ResourceSet next = set(B, F, trigger("shop", "t", "f", "order.paid"));

        ResourceChanges.Change<Trigger> change = ResourceChanges.between(running, next).triggers().changed().get(0);

        assertThat(change.before()).isSameAs(running.triggers().get(0));
        assertThat(change.after()).isSameAs(next.triggers().get(0));
    }

    @Test
    void aChangeMustKeepItsIdentity() {
        Function f = set(F).functions().get(0);
        Function g = set(G).functions().get(0);

        assertThatThrownBy(() -> new ResourceChanges.Change<>(f, g)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Function/shop/f").hasMessageContaining("Function/shop/g");
    }
}
