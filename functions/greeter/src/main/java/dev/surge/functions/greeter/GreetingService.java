package dev.surge.functions.greeter;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@ApplicationScoped
public class GreetingService {
    @ConfigProperty(name = "greeting", defaultValue = "Hello")
    String greeting;

    /** Simulated work per greeting (GREETING_WORK=PT0.05S), to watch Surge scale the greeter on lag. */
    @ConfigProperty(name = "greeting.work", defaultValue = "PT0S")
    Duration work;

    public Greeting greet(Person person) {
        if (!work.isZero()) {
            try {
                Thread.sleep(work.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String name = person == null || person.name() == null || person.name().isBlank() ? "stranger" : person.name();
        return new Greeting(greeting + ", " + name + "!");
    }
}
