package dev.surge.functions.greeter;

import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.inject.Inject;

/**
 * Answers a {@code dev.surge.greet} event with a {@code dev.surge.greeting} event. The reply is published
 * back to the broker by Surge, where other triggers can pick it up.
 */
public class Greeter {
    @Inject
    GreetingService greetings;

    @Funq
    @CloudEventMapping(trigger = "dev.surge.greet", responseType = "dev.surge.greeting",
            responseSource = "/functions/greeter")
    public Greeting greet(Person person) {
        return greetings.greet(person);
    }
}
