package dev.surge.runtime.ingress;

import dev.surge.core.resource.Broker;
import dev.surge.runtime.kafka.KafkaCluster;
import java.util.Optional;

/**
 * What the ingress needs of the running platform: the brokers as they are now and the Kafka their events are
 * written to. Resources change while Surge runs, so callers look a broker up on every request and keep nothing.
 */
public interface BrokerView {
    /** The broker of that namespace and name at this moment, if there is one. */
    Optional<Broker> broker(String namespace, String name);

    /** Every broker at this moment, in no particular order. */
    java.util.List<Broker> brokers();

    /** Kafka: the producers to write with, and whether it answers. Null until Kafka is open. */
    KafkaCluster kafka();
}
