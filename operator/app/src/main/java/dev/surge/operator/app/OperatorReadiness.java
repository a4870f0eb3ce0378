package dev.surge.operator.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready}: the operator started and its informers are connected to the API server. */
@Readiness
@ApplicationScoped
public class OperatorReadiness implements HealthCheck {
    @Inject
    OperatorLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        var operator = lifecycle.operator();
        return HealthCheckResponse.named("surge-operator").status(operator != null && operator.healthy()).build();
    }
}
