package dev.surge.kubernetes.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Resource;
import dev.surge.core.resource.ResourceId;
import dev.surge.kubernetes.api.ResourceSelection.Rejected;
import dev.surge.kubernetes.api.ResourceSelection.Selection;
import dev.surge.kubernetes.api.ResourceSelection.Verdict;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What runs in a cluster: {@link ResourceSelection#select} for the runtime (every resource at once), and
 * {@link ResourceSelection#trigger} for the operator (one Trigger and what it names), which must agree.
 */
class ResourceSelectionTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

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
            assertThat(r.reason()).isEqualTo("InvalidSpec");
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
                trigger("shop", "no-dead-letters", "broker: events\nuri: http://sink/\n"
                        + "delivery: {deadLetterSink: {function: mourner}}"),
                // Same names in another namespace do not count: references are within a namespace.
                function("other", "ghost", "image: x"),
                trigger("shop", "fine", "broker: events\nuri: http://sink/")));

        assertThat(names(s)).containsExactlyInAnyOrder("Broker shop/events", "Function other/ghost",
                "Trigger shop/fine");
        assertThat(s.rejected()).extracting(Rejected::id, Rejected::reason).containsExactlyInAnyOrder(
                org.assertj.core.api.Assertions.tuple("Trigger shop/no-function", "FunctionNotFound"),
                org.assertj.core.api.Assertions.tuple("Trigger shop/no-broker", "BrokerNotFound"),
                org.assertj.core.api.Assertions.tuple("Trigger shop/no-dead-letters", "FunctionNotFound"));
        assertThat(lines(s)).contains(
                "Trigger shop/no-function: spec.function: there is no Function 'ghost' in namespace shop; create it,"
                        + " or name an existing Function",
                "Trigger shop/no-broker: spec.broker: there is no Broker 'elsewhere' in namespace shop; create it,"
                        + " or name an existing Broker",
                "Trigger shop/no-dead-letters: spec.delivery.deadLetterSink.function: there is no Function 'mourner'"
                        + " in namespace shop; create it, or name an existing Function");
    }

    @Test
    void aTriggerOfAnInvalidBrokerOrFunctionIsLeftOutToo() {
        Selection s = ResourceSelection.select(List.of(
                resource("Broker", "shop", "bad", "partitions: 0"),
                function("shop", "broken", "image: x\nscaling: {minReplicas: 3, maxReplicas: 1}"),
                broker("shop", "events"),
                trigger("shop", "of-bad-broker", "broker: bad\nuri: http://sink/"),
                trigger("shop", "to-bad-function", "broker: events\nfunction: broken"),
                trigger("shop", "dead-letters-to-bad-function", "broker: events\nuri: http://sink/\n"
                        + "delivery: {deadLetterSink: {function: broken}}")));

        assertThat(names(s)).containsExactly("Broker shop/events");
        assertThat(s.rejected()).extracting(Rejected::id, Rejected::reason).containsExactlyInAnyOrder(
                org.assertj.core.api.Assertions.tuple("Broker shop/bad", "InvalidSpec"),
                org.assertj.core.api.Assertions.tuple("Function shop/broken", "InvalidSpec"),
                org.assertj.core.api.Assertions.tuple("Trigger shop/of-bad-broker", "BrokerInvalid"),
                org.assertj.core.api.Assertions.tuple("Trigger shop/to-bad-function", "FunctionInvalid"),
                org.assertj.core.api.Assertions.tuple("Trigger shop/dead-letters-to-bad-function", "FunctionInvalid"));
        assertThat(lines(s)).anySatisfy(l -> assertThat(l).startsWith("Broker shop/bad: spec.partitions: "));
        assertThat(lines(s)).contains("Trigger shop/to-bad-function: spec.function: Function 'broken' in namespace"
                + " shop is invalid (spec.scaling.maxReplicas: must not be below minReplicas (3)); fix it, or name"
                + " another Function");
    }

    @Test
    void aFunctionWithoutAnImageDoesNotRunInAClusterNorDoTheTriggersToIt() {
        Selection s = ResourceSelection.select(List.of(
                broker("shop", "events"),
                function("shop", "local-only", "path: functions/greeter/target/quarkus-app"),
                trigger("shop", "to-local", "broker: events\nfunction: local-only")));

        assertThat(names(s)).containsExactly("Broker shop/events");
        assertThat(lines(s)).containsExactlyInAnyOrder(
                "Function shop/local-only: spec.image: a Function on Kubernetes needs a container image (spec.path is"
                        + " for local mode only); set spec.image",
                "Trigger shop/to-local: spec.function: Function 'local-only' in namespace shop is invalid (spec.image:"
                        + " a Function on Kubernetes needs a container image (spec.path is for local mode only); set"
                        + " spec.image); fix it, or name another Function");
    }

    @Test
    void aTriggerWithEveryReferenceWrongNamesEachAndTakesTheReasonOfItsBroker() {
        Rejected r = ResourceSelection.select(List.of(
                function("shop", "broken", "image: x\nport: 0"),
                trigger("shop", "lost", "broker: nowhere\nfunction: broken\n"
                        + "delivery: {deadLetterSink: {function: ghost}}"))).rejected().get(1);

        assertThat(r.reason()).isEqualTo("BrokerNotFound");
        assertThat(r.problems()).extracting(p -> p.field()).containsExactly("spec.broker", "spec.function",
                "spec.delivery.deadLetterSink.function");
        assertThat(r.message()).startsWith("spec.broker: there is no Broker 'nowhere'")
                .contains("; spec.function: Function 'broken' in namespace shop is invalid (spec.port: ")
                .endsWith("; spec.delivery.deadLetterSink.function: there is no Function 'ghost' in namespace shop;"
                        + " create it, or name an existing Function");
    }

    /** The operator asks about one Trigger at a time; the verdict must be the runtime's. */
    @Test
    void oneTriggerWithWhatItNamesIsJudgedAsAmongEveryResource() {
        List<GenericKubernetesResource> all = List.of(
                resource("Broker", "shop", "bad", "partitions: 0"),
                broker("shop", "events"),
                function("shop", "greeter", "image: x"),
                function("shop", "broken", "image: x\nport: 0"),
                function("shop", "local-only", "path: app"),
                trigger("shop", "fine", "broker: events\nfunction: greeter\n"
                        + "delivery: {deadLetterSink: {function: greeter}}"),
                trigger("shop", "of-bad-broker", "broker: bad\nuri: http://sink/"),
                trigger("shop", "no-broker", "broker: elsewhere\nuri: http://sink/"),
                trigger("shop", "to-bad-function", "broker: events\nfunction: broken"),
                trigger("shop", "to-local", "broker: events\nfunction: local-only"),
                trigger("shop", "no-function", "broker: events\nfunction: ghost"),
                trigger("shop", "no-dead-letters", "broker: events\nuri: http://sink/\n"
                        + "delivery: {deadLetterSink: {function: ghost}}"),
                trigger("shop", "dead-letters-to-bad-function", "broker: events\nuri: http://sink/\n"
                        + "delivery: {deadLetterSink: {function: broken}}"),
                trigger("shop", "bad-itself", "broker: events\nuri: ftp://sink/"));
        Map<String, Rejected> together = ResourceSelection.select(all).rejected().stream()
                .collect(java.util.stream.Collectors.toMap(Rejected::name, r -> r));
        ResourceSelection.Lookup lookup = id -> all.stream().filter(r -> id.equals(id(r))).findFirst().orElse(null);

        for (GenericKubernetesResource t : all.stream().filter(r -> r.getKind().equals("Trigger")).toList()) {
            Verdict alone = ResourceSelection.trigger(t, lookup);
            assertThat(alone.rejected()).as(t.getMetadata().getName()).isEqualTo(together.get(t.getMetadata().getName()));
            assertThat(alone.runs()).isEqualTo(alone.resource() != null);
        }
        assertThat(ResourceSelection.trigger(all.get(5), lookup).runs()).isTrue();
    }

    @Test
    void nothingGivesTheEmptySet() {
        Selection s = ResourceSelection.select(List.of());
        assertThat(s.resources().brokers()).isEmpty();
        assertThat(s.rejected()).isEmpty();
    }

    private static ResourceId id(HasMetadata r) {
        return new ResourceId(r.getKind(), r.getMetadata().getNamespace(), r.getMetadata().getName());
    }

    /** A custom resource written as a user would with kubectl, read as the informers hold it. */
    static GenericKubernetesResource resource(String kind, String namespace, String name, String spec) {
        return SERIALIZATION.unmarshal("apiVersion: surge.dev/v1alpha1\nkind: " + kind + "\nmetadata: {name: " + name
                + ", namespace: " + namespace + "}\nspec:\n  " + spec.replace("\n", "\n  ") + "\n",
                GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource broker(String namespace, String name) {
        return resource("Broker", namespace, name, "partitions: 3");
    }

    private static GenericKubernetesResource function(String namespace, String name, String spec) {
        return resource("Function", namespace, name, spec);
    }

    private static GenericKubernetesResource trigger(String namespace, String name, String spec) {
        return resource("Trigger", namespace, name, spec);
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
