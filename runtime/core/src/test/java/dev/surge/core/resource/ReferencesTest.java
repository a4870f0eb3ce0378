package dev.surge.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.References.Reference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReferencesTest {

    @Test
    void aTriggerNamesItsBrokerItsFunctionAndItsDeadLetterFunctionInItsNamespace() throws Exception {
        ResourceSet set = ResourceLoader.parse("""
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: orders, namespace: shop}
                ---
                apiVersion: surge.dev/v1alpha1
                kind: Function
                metadata: {name: packer, namespace: shop}
                spec: {image: packer:1}
                ---
                apiVersion: surge.dev/v1alpha1
                kind: Function
                metadata: {name: mourner, namespace: shop}
                spec: {image: mourner:1}
                ---
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: pack, namespace: shop}
                spec: {broker: orders, function: packer, delivery: {deadLetterSink: {function: mourner}}}
                ---
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: audit, namespace: shop}
                spec: {broker: orders, uri: 'http://audit/', delivery: {deadLetterSink: {topic: dlq}}}
                """, "s.yaml", Path.of("/"));

        assertThat(References.of(set.trigger("shop", "pack").orElseThrow())).containsExactly(
                new Reference("spec.broker", new ResourceId("Broker", "shop", "orders")),
                new Reference("spec.function", new ResourceId("Function", "shop", "packer")),
                new Reference("spec.delivery.deadLetterSink.function", new ResourceId("Function", "shop", "mourner")));
        assertThat(References.of(set.trigger("shop", "audit").orElseThrow())).containsExactly(
                new Reference("spec.broker", new ResourceId("Broker", "shop", "orders")));
    }
}
