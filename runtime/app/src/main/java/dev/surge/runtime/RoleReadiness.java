package dev.surge.runtime;

import dev.surge.runtime.config.Role;

import dev.surge.runtime.dispatch.TriggerDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of each role this process runs ({@code /q/health/ready} lists them by name). A role the process
 * does not run reports up with {@code running: false}, so a Deployment of one role is judged on that role.
 * <ul>
 * <li>{@code ingress}: started and Kafka answers, so no one is sent here to get 503s;</li>
 * <li>{@code dispatcher}: every trigger of the resources has a dispatcher and its consumer loop is alive (one
 * being restarted after an error is not);</li>
 * <li>{@code scaler}: started.</li>
 * </ul>
 */
@ApplicationScoped
public class RoleReadiness {
    @Inject
    SurgeRuntime runtime;

    @Produces
    @Readiness
    HealthCheck ingress() {
        return () -> {
            var kafka = runtime.kafka();
            return check("ingress", Role.INGRESS, runtime.isReady())
                    .withData("bootstrapServers", kafka == null ? "" : kafka.bootstrapServers()).build();
        };
    }

    @Produces
    @Readiness
    HealthCheck dispatcher() {
        return () -> {
            List<TriggerDispatcher> all = runtime.all();
            boolean alive = all.stream().allMatch(TriggerDispatcher::isAlive);
            // A trigger of the resources without a dispatcher failed to start; the reconciler tries again.
            int wanted = runtime.resources().triggers().size();
            var b = check("dispatcher", Role.DISPATCHER, runtime.isStarted() && alive && all.size() >= wanted)
                    .withData("triggers", wanted).withData("dispatchers", all.size());
            // Each trigger's state (RUNNING, RESTARTING after an error, STOPPED), so a failing one is named.
            all.forEach(d -> b.withData(d.trigger().namespace() + "/" + d.trigger().name(), d.status().state().name()));
            return b.build();
        };
    }

    @Produces
    @Readiness
    HealthCheck scaler() {
        return () -> check("scaler", Role.SCALER, runtime.isStarted()).build();
    }

    private org.eclipse.microprofile.health.HealthCheckResponseBuilder check(String name, Role role, boolean up) {
        boolean runs = runtime.roles() != null && runtime.roles().contains(role);
        return HealthCheckResponse.named(name).status(!runs || up).withData("running", runs);
    }
}
