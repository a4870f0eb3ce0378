package dev.surge.functions.greeter;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@ApplicationScoped
public class GreetingService {
    @ConfigProperty(name = "greeting", defaultValue = "Hello")
    String greeting;

    public Greeting greet(Person person) {
        String name = person == null || person.name() == null || person.name().isBlank() ? "stranger" : person.name();
        return new Greeting(greeting + ", " + name + "!");
    }
}
