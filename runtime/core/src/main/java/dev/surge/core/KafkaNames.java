package dev.surge.core;

/**
 * The Kafka names Surge derives from resources. They are stable and documented so users can inspect
 * Surge's state with standard Kafka tools (kafka-console-consumer, kcat, kafka-consumer-groups).
 */
public final class KafkaNames {
    private KafkaNames() {
    }

    /** The topic that stores every event accepted by a broker: {@code surge.<namespace>.<broker>}. */
    public static String brokerTopic(String namespace, String broker) {
        return "surge." + namespace + "." + broker;
    }

    /** The consumer group of a trigger: {@code surge.<namespace>.<trigger>}. */
    public static String triggerGroup(String namespace, String trigger) {
        return "surge." + namespace + "." + trigger;
    }
}
