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

/** A deployable function (a Quarkus Funqy app), scaled on the matching backlog of its triggers. */
@Group(SurgeApi.GROUP)
@Version(SurgeApi.VERSION)
@Kind("Function")
@ShortNames("sfn")
@Categories(SurgeApi.CATEGORY)
@SchemaCustomizer(value = DnsLabelNames.class, input = DnsLabelNames.DNS_1035)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Lag", jsonPath = ".status.lag", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
public class Function extends CustomResource<FunctionSpec, FunctionStatus> implements Namespaced {
    @Override
    protected FunctionSpec initSpec() {
        return new FunctionSpec();
    }

    @Override
    protected FunctionStatus initStatus() {
        return new FunctionStatus();
    }

    /** Required: a function needs an image or a path, which only a spec can give. */
    @Override
    @Required
    public FunctionSpec getSpec() {
        return super.getSpec();
    }
}
