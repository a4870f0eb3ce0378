package dev.surge.runtime.config;

/** A part of Surge that a process runs; see {@link SurgeConfig#roles()}. */
public enum Role {
    /** {@code POST /<namespace>/<broker>}: accepts events and writes them to Kafka. */
    INGRESS,
    /** One consumer group per trigger: filters and delivers events. */
    DISPATCHER,
    /** Decides the replicas of functions from their matching backlog; in local mode runs their processes. */
    SCALER;
}
