package dev.surge.core.filter;

import io.cloudevents.CloudEvent;
import io.cloudevents.types.Time;
import java.time.OffsetDateTime;
import java.util.Base64;

/** Reads a context attribute or extension of an event as the string filters compare against. */
public final class EventAttributes {
    private EventAttributes() {
    }

    /** @return the attribute's value in its canonical string form, or null when the event has none */
    public static String get(CloudEvent event, String name) {
        Object value;
        try {
            value = event.getAttribute(name);
        } catch (IllegalArgumentException notAContextAttribute) {
            value = null;
        }
        if (value == null) {
            value = event.getExtension(name);
        }
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime time) {
            return Time.writeTime(time);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }
}
