package ${package};

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What ${artifactId} does with an event; plain CDI, tested through the function. */
@ApplicationScoped
public class ${className}Service {
    /** GREETING in the Function's env (surge.yaml, helm/values.yaml) changes it. */
    @ConfigProperty(name = "greeting", defaultValue = "Hello")
    String greeting;

    public Output handle(Input input) {
        String name = input == null || input.name() == null || input.name().isBlank() ? "stranger" : input.name();
        return new Output(greeting + ", " + name + "!");
    }
}
