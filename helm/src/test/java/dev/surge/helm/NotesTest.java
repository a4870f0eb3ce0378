package dev.surge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the charts print after an install: where things are, and how to post the first event. */
class NotesTest {
    @Test
    void theSurgeChartSaysHowToPostTheFirstEventToItsIngress() {
        String notes = Charts.notes(Charts.SURGE, "surge", "surge", "");
        assertThat(notes).contains("kubectl port-forward -n surge svc/surge-ingress 8080:80")
                .contains("curl -i http://localhost:8080/demo/default")
                .contains("-H 'ce-specversion: 1.0' -H 'ce-id: 1' -H 'ce-source: /cli' -H 'ce-type: dev.surge.greet'")
                // it cannot know the user's Triggers: it says which type its own example takes and how to find others
                .contains("Its ce-type must be one a Trigger of that\n   Broker takes")
                .contains("dev.surge.greet is the type the Trigger of step 1\n   takes")
                .contains("spec: {broker: default, filter: {attributes: {type: dev.surge.greet}}, function: greeter}")
                .contains("kubectl get strigger -n demo -o custom-columns='NAME:.metadata.name,BROKER:.spec.broker,"
                        + "FILTER:.spec.filter.attributes,FILTERS:.spec.filters'")
                .contains("kind: Broker").contains("kind: Function").contains("kind: Trigger")
                .contains("Kafka      my-cluster-kafka-bootstrap.kafka.svc:9092 (PLAINTEXT)")
                .contains("watching   all namespaces")
                // all namespaces and no list: no NetworkPolicy could be made, and the user is told
                .contains("No NetworkPolicy was made")
                .contains("images     ghcr.io/surge-dev/surge-operator:0.1.0-SNAPSHOT, "
                        + "ghcr.io/surge-dev/surge-runtime:0.1.0-SNAPSHOT")
                // the default images are not published: the user is told, and how to point the release elsewhere
                .contains("Surge publishes no images at ghcr.io/surge-dev yet")
                .contains("helm upgrade surge helm/surge -n surge --reuse-values --set global.imageRegistry=");
    }

    @Test
    void theSurgeNotesNameTheImagesOfTheUsersRegistry() {
        String notes = Charts.notes(Charts.SURGE, "surge", "surge", "global: {imageRegistry: registry.example.com/acme}");
        assertThat(notes).contains("images     registry.example.com/acme/surge-operator:0.1.0-SNAPSHOT, "
                        + "registry.example.com/acme/surge-runtime:0.1.0-SNAPSHOT")
                .contains("spec: {image: registry.example.com/acme/greeter:1.0.0-SNAPSHOT}")
                .doesNotContain("Surge publishes no images");
        assertThat(Charts.notes(Charts.FUNCTION, "greeter", "demo", "global: {imageRegistry: registry.example.com/acme}"))
                .contains("Function greeter (registry.example.com/acme/greeter:1.0.0-SNAPSHOT)");
    }

    @Test
    void theSurgeNotesFollowTheValues() {
        String notes = Charts.notes(Charts.SURGE, "acme", "events", SurgeChartTest.STRIMZI_SCRAM);
        assertThat(notes).contains("svc/acme-surge-ingress 8080:8080")
                .contains("Service http://acme-surge-ingress.events.svc:8080")
                .contains("(SASL_SSL)").contains("watching   shop, billing")
                .doesNotContain("No NetworkPolicy was made");
    }

    @Test
    void theFunctionChartNamesItsTriggersAndWhereToPost() {
        String notes = Charts.notes(Charts.FUNCTION, "packer", "shop", FunctionChartTest.FULL);
        assertThat(notes).contains("Function packer (ghcr.io/acme/packer:1.0) in the namespace shop, with 2 Trigger(s)")
                .contains("pack: the events of Broker orders with type=shop.order.placed that pass its filters")
                .contains("curl -i http://localhost:8080/shop/orders")
                .contains("kubectl get sfn,strigger -n shop");
        // the curl's type is the one its Trigger takes, and it says that Trigger asks for more
        assertThat(notes).contains("Trigger pack takes type shop.order.placed; it filters on more than the type too")
                .contains("-H 'ce-type: shop.order.placed'").doesNotContain("dev.surge.greet");
        assertThat(Charts.notes(Charts.FUNCTION, "lonely", "shop", "triggers: []")).contains("with 0 Trigger(s)")
                .doesNotContain("curl");
    }

    @Test
    void theFunctionChartsCurlUsesTheTypeItsTriggerTakes() {
        assertThat(Charts.notes(Charts.FUNCTION, "greeter", "demo", ""))
                .contains("Trigger greet takes type dev.surge.greet:\n")
                .contains("curl -i http://localhost:8080/demo/default").contains("-H 'ce-type: dev.surge.greet'")
                .doesNotContain("filters on more than the type");

        String exactInFilters = Charts.notes(Charts.FUNCTION, "audit", "shop", """
                triggers:
                  - name: audit
                    broker: orders
                    filters: [{exact: {type: shop.order.shipped}}]
                """);
        assertThat(exactInFilters).contains("Trigger audit takes type shop.order.shipped;")
                .contains("-H 'ce-type: shop.order.shipped'").doesNotContain("dev.surge.greet");

        String noExactType = Charts.notes(Charts.FUNCTION, "audit", "shop", """
                triggers:
                  - name: audit
                    broker: orders
                    filters: [{prefix: {type: shop.order.}}]
                """);
        assertThat(noExactType).contains("Trigger audit names no exact type: its filters (above; kubectl get strigger"
                + " audit -n shop -o yaml)\nsay which events it takes; put such a type in ce-type:")
                .contains("-H 'ce-type: <a type it takes>'").doesNotContain("dev.surge.greet");
    }
}
