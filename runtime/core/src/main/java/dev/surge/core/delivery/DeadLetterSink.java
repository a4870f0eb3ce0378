package dev.surge.core.delivery;

import java.net.URI;

/** Where an event goes when it cannot be delivered: a Kafka topic, a URL, or a function. */
public sealed interface DeadLetterSink {
    /** A Kafka topic on the broker's cluster; Surge creates it when missing. */
    record Topic(String name) implements DeadLetterSink {
    }

    record Uri(URI uri) implements DeadLetterSink {
    }

    /** A Function of the trigger's namespace. */
    record Function(String name) implements DeadLetterSink {
    }

    /** Short name for logs and metric tags: topic, uri or function. */
    default String kind() {
        if (this instanceof Topic) {
            return "topic";
        }
        return this instanceof Uri ? "uri" : "function";
    }
}
