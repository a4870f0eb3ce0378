package dev.surge.kubernetes.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Routes the events of a broker that pass its filters to a function or a URL. The target is shown in two
 * columns, Function and URI, because a printer column has one JSONPath and a trigger has either.
 */
@Group(SurgeApi.GROUP)
@Version(SurgeApi.VERSION)
@Kind("Trigger")
@ShortNames("strigger")
@Categories(SurgeApi.CATEGORY)
@SchemaCustomizer(DnsLabelNames.class)
@AdditionalPrinterColumn(name = "Broker", jsonPath = ".spec.broker", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Function", jsonPath = ".spec.function", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "URI", jsonPath = ".spec.uri", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = SurgeApi.READY_JSON_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Lag", jsonPath = ".status.lag", type = AdditionalPrinterColumn.Type.INTEGER,
        priority = 1)
@AdditionalPrinterColumn(name = "Consumer Group", jsonPath = ".status.consumerGroup",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class Trigger extends CustomResource<TriggerSpec, TriggerStatus> implements Namespaced {
    @Override
    protected TriggerSpec initSpec() {
        return new TriggerSpec();
    }

    @Override
    protected TriggerStatus initStatus() {
        return new TriggerStatus();
    }

    /** Required: a trigger needs a broker and a target, which only a spec can give. */
    @Override
    @Required
    public TriggerSpec getSpec() {
        return super.getSpec();
    }
}
