package dev.surge.operator.status;

import java.util.Objects;

/**
 * What a reconcile found: whether the resource works, why (a CamelCase reason for tools) and what a user should
 * know or fix (a sentence naming the field).
 */
public record Readiness(boolean ready, String reason, String message) {
    public Readiness {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    public static Readiness ready(String reason, String message) {
        return new Readiness(true, reason, message);
    }

    public static Readiness notReady(String reason, String message) {
        return new Readiness(false, reason, message);
    }
}
