package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The "Try it" hint of {@code surge up}: an event that a trigger of the loaded resources really takes. */
class SampleEventTest {
    private static final String BROKER = """
            apiVersion: surge.dev/v1alpha1
            kind: Broker
            metadata: {name: orders, namespace: shop}
            ---
            """;

    private static ResourceSet resources(String yaml) throws Exception {
        return ResourceLoader.parse(yaml, "test.yaml", Path.of("."));
    }

    private static String trigger(String name, String filters) {
        return """
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: %s, namespace: shop}
                spec: {broker: orders, uri: "http://localhost:9/%s", %s}
                ---
                """.formatted(name, name, filters);
    }

    @Test
    void theRepositorysQuickStartSuggestsTheGreetersType() throws Exception {
        Path root = Path.of(System.getProperty("test.functions.dir")).getParent();
        ResourceSet set = ResourceLoader.load(root.resolve("surge.yaml"));
        String hint = SurgeRuntime.tryIt(set, "http://localhost:8080");
        assertThat(hint).isEqualTo("\nTry it (trigger demo/greet → function greeter):\n  curl -i"
                + " http://localhost:8080/demo/default -H 'ce-specversion: 1.0' -H 'ce-id: 1' -H 'ce-source: /cli'"
                + " -H 'ce-type: dev.surge.greet' -H 'content-type: application/json' -d '{\"name\":\"Ada\"}'\n");
    }

    @Test
    void withoutAGreetTriggerItSuggestsATypeATriggerTakes() throws Exception {
        ResourceSet set = resources(BROKER + trigger("placed", "filters: [{exact: {type: shop.order.placed}}]"));
        assertThat(SurgeRuntime.tryIt(set, "http://localhost:9000")).contains("Try it (trigger shop/placed → http://localhost:9/placed)")
                .contains("curl -i http://localhost:9000/shop/orders ")
                .contains("-H 'ce-type: shop.order.placed'").doesNotContain("dev.surge.greet");
    }

    @Test
    void theFiltersAttributesAreAllMetAndTheEventPassesTheFilter() throws Exception {
        ResourceSet set = resources(BROKER + trigger("eu-orders", """
                filters: [{prefix: {type: shop.order.}}, {exact: {source: /shop/web, region: eu}},
                  {suffix: {subject: .json}}, {not: {exact: {region: us}}}]"""));
        SampleEvent sample = SampleEvent.of(set).orElseThrow();
        assertThat(sample.attributes()).containsEntry("type", "shop.order.example")
                .containsEntry("source", "/shop/web").containsEntry("region", "eu")
                .containsEntry("subject", "example.json");
        assertThat(sample.curl("http://localhost:8080")).contains("-H 'ce-region: eu'", "-H 'ce-subject: example.json'",
                "-H 'ce-source: /shop/web'");
    }

    @Test
    void aTriggerNoSimpleEventMeetsIsPassedOverForOneThatIs() throws Exception {
        ResourceSet set = resources(BROKER + trigger("sql", "filters: [{cesql: \"amount > 100\"}]")
                + trigger("any", "filters: [{any: [{exact: {type: shop.a}}, {exact: {type: shop.b}}]}]"));
        assertThat(SampleEvent.of(set).orElseThrow().trigger().name()).isEqualTo("any");
        assertThat(SampleEvent.of(set).orElseThrow().attributes()).containsEntry("type", "shop.a");
    }

    @Test
    void whenNoTriggerCanBeMetItSaysWhatToDoInsteadOfACurlNoTriggerTakes() throws Exception {
        ResourceSet onlySql = resources(BROKER + trigger("sql", "filters: [{cesql: \"amount > 100\"}]"));
        assertThat(SampleEvent.of(onlySql)).isEmpty();
        assertThat(SurgeRuntime.tryIt(onlySql, "http://localhost:8080")).isEqualTo("\nTry it: post an event to"
                + " http://localhost:8080/shop/orders with the attributes the triggers' filters ask for (no simple"
                + " event of a type and a source meets any of them), e.g. ./surge send --broker shop/orders --type"
                + " TYPE\n").doesNotContain("curl");

        ResourceSet noTrigger = resources(BROKER.replace("---\n", ""));
        assertThat(SurgeRuntime.tryIt(noTrigger, "http://localhost:8080")).contains("(no trigger yet: it is stored, nothing receives it)");
    }

    @Test
    void aTriggerWithoutFiltersTakesAnyType() throws Exception {
        ResourceSet set = resources(BROKER + trigger("all", "delivery: {retry: 1}"));
        assertThat(SampleEvent.of(set).orElseThrow().attributes()).containsEntry("type", "dev.surge.example");
    }
}
