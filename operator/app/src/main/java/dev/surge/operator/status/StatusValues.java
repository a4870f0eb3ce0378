package dev.surge.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Statuses compared as the JSON they are written as (the status classes have no equals). */
public final class StatusValues {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StatusValues() {
    }

    public static boolean same(Object a, Object b) {
        return SERIALIZATION.convertValue(a, JsonNode.class).equals(SERIALIZATION.convertValue(b, JsonNode.class));
    }

    /** A deep copy, to build the next status without touching the cached resource. */
    public static <T> T copy(T value, Class<T> type) {
        return value == null ? null : SERIALIZATION.convertValue(SERIALIZATION.convertValue(value, JsonNode.class), type);
    }
}
