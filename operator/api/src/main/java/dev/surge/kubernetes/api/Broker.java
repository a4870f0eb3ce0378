package dev.surge.kubernetes.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A named entry point that stores every accepted event in one Kafka topic ({@code surge.<namespace>.<name>}). */
@Group(SurgeApi.GROUP)
@Version(SurgeApi.VERSION)
@Kind("Broker")
@ShortNames("sbroker")
@Categories(SurgeApi.CATEGORY)
@SchemaCustomizer(DnsLabelNames.class)
@AdditionalPrinterColumn(name = "Address", jsonPath = ".status.address", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = SurgeApi.READY_JSON_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Topic", jsonPath = ".status.topic", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
public class Broker extends CustomResource<BrokerSpec, BrokerStatus> implements Namespaced {
    @Override
    protected BrokerSpec initSpec() {
        return new BrokerSpec();
    }

    @Override
    protected BrokerStatus initStatus() {
        return new BrokerStatus();
    }
}
