package dev.surge.runtime.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The dispatcher role's readiness: up while every trigger's consumer loop runs; a trigger restarting after
 * an error (or stopped) makes it down, with each trigger's state in the data.
 */
@Readiness
@ApplicationScoped
public class TriggerReadiness implements HealthCheck {
    @Inject
    Dispatchers dispatchers;

    @Override
    public HealthCheckResponse call() {
        boolean up = true;
        HealthCheckResponseBuilder b = HealthCheckResponse.named("triggers");
        for (TriggerDispatcher d : dispatchers.all()) {
            up &= d.isAlive();
            b.withData(d.trigger().namespace() + "/" + d.trigger().name(), d.status().state().name());
        }
        return b.status(up).build();
    }
}
