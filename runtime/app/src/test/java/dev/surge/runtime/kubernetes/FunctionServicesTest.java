package dev.surge.runtime.kubernetes;

import static dev.surge.runtime.kubernetes.Documents.broker;
import static dev.surge.runtime.kubernetes.Documents.function;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.resource.ResourceSet;
import dev.surge.kubernetes.api.ResourceSelection;
import dev.surge.runtime.kubernetes.FunctionServices.FunctionUrl;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionServicesTest {
    private final Map<String, GenericKubernetesResource> cache = new HashMap<>();
    private final List<String> activations = new ArrayList<>();
    private ResourceSet running = ResourceSet.EMPTY;
    private final FunctionServices services = new FunctionServices(() -> running,
            (ns, name) -> Optional.ofNullable(cache.get(ns + "/" + name)), (ns, name) -> activations.add(ns + "/" + name),
            new FunctionUrl(FunctionUrl.DEFAULT));

    @Test
    void aFunctionWithReadyReplicasIsReachedAtItsService() {
        put(function("shop", "greeter", "image: x\nport: 9000"), 2);

        assertThat(services.hasReady("shop", "greeter")).isTrue();
        assertThat(services.acquire("shop", "greeter")).map(dev.surge.runtime.dispatch.FunctionEndpoints.Lease::uri)
                .contains(URI.create("http://greeter.shop.svc:9000/"));
    }

    @Test
    void theDefaultPortIs8080() {
        put(function("shop", "greeter", "image: x"), 1);
        assertThat(services.acquire("shop", "greeter")).map(dev.surge.runtime.dispatch.FunctionEndpoints.Lease::uri)
                .contains(URI.create("http://greeter.shop.svc:8080/"));
    }

    @Test
    void withoutReadyReplicasThereIsNoTarget() {
        put(function("shop", "zero", "image: x"), 0);
        put(function("shop", "no-status", "image: x"), null);

        assertThat(services.hasReady("shop", "zero")).isFalse();
        assertThat(services.acquire("shop", "zero")).isEmpty();
        assertThat(services.hasReady("shop", "no-status")).isFalse();
        assertThat(services.hasReady("shop", "absent")).isFalse();
    }

    @Test
    void activateAsksForTheFunction() {
        services.activate("shop", "zero");
        assertThat(activations).containsExactly("shop/zero");
    }

    @Test
    void theUrlTemplateCanNameAnotherClusterDomain() {
        FunctionUrl url = new FunctionUrl("http://{function}.{namespace}.svc.cluster.local:{port}/");
        put(function("shop", "greeter", "image: x"), 1);
        assertThat(url.of(running.function("shop", "greeter").orElseThrow()))
                .isEqualTo(URI.create("http://greeter.shop.svc.cluster.local:8080/"));
    }

    @Test
    void aTemplateThatGivesNoUsableUrlIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new FunctionUrl("greeter:8080")).hasMessageStartingWith(
                "surge.kubernetes.function-url: 'greeter:8080' must give an http(s) URL");
        assertThatThrownBy(() -> new FunctionUrl("http://fixed-host:8080/")).hasMessageContaining("{function}");
        assertThatThrownBy(() -> new FunctionUrl("http://{function} .svc/")).hasMessageStartingWith(
                "surge.kubernetes.function-url: 'http://{function} .svc/' does not give a URL");
    }


    /** Adds the Function to the informer's cache (with readyReplicas, when not null) and to what runs. */
    private void put(GenericKubernetesResource function, Integer readyReplicas) {
        if (readyReplicas != null) {
            function.setAdditionalProperty("status", Map.of("readyReplicas", readyReplicas));
        }
        cache.put(function.getMetadata().getNamespace() + "/" + function.getMetadata().getName(), function);
        List<GenericKubernetesResource> all = new ArrayList<>(cache.values());
        all.add(broker("shop", "events"));
        running = ResourceSelection.select(all).resources();
    }
}
