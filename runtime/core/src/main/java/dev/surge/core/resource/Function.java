package dev.surge.core.resource;

import dev.surge.core.scaling.ScalingPolicy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A deployable function: a Quarkus Funqy app.
 *
 * @param image       container image (Kubernetes mode)
 * @param path        a built {@code quarkus-app} folder or a runnable jar (local mode), resolved
 *                    against the folder of the file that declared it
 * @param port        the port the function listens on in its container (default 8080); local mode
 *                    gives every process a free port of its own instead
 * @param env         environment variables of the function's process
 * @param concurrency maximum deliveries in flight to one replica (default 100)
 * @param scaling     how many replicas to run for the lag of its triggers
 */
public record Function(Metadata metadata, String image, String path, int port, Map<String, String> env,
        int concurrency, ScalingPolicy scaling) implements Resource {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_CONCURRENCY = 100;

    public Function {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(scaling, "scaling");
        // A copy keeps the value immutable (the caller's map may change) and the declared order for toString;
        // Map equality ignores order, so the same variables in another order are the same Function.
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }
}
