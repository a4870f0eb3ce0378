package dev.surge.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when everything started and Kafka answers, so no one sends events that would get 503. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    @Inject
    SurgeRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        var kafka = runtime.kafka();
        return HealthCheckResponse.named("kafka")
                .status(runtime.isReady())
                .withData("bootstrapServers", kafka == null ? "" : kafka.bootstrapServers())
                .build();
    }
}
