package ${package};

import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.inject.Inject;

/**
 * The function: answers a {@code ${eventType}} event with a {@code ${eventType}.reply} event, which Surge
 * publishes back to the broker, where other triggers can pick it up. It stays thin: the work is in
 * {@link ${className}Service}.
 */
public class ${className} {
    @Inject
    ${className}Service service;

    @Funq
    @CloudEventMapping(trigger = "${eventType}", responseType = "${eventType}.reply",
            responseSource = "/functions/${artifactId}")
    public Output handle(Input input) {
        return service.handle(input);
    }
}
