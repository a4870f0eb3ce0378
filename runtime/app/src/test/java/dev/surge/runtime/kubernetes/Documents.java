package dev.surge.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Custom resources written as a user would with kubectl, read as the informers hold them. */
final class Documents {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Documents() {
    }

    static GenericKubernetesResource resource(String kind, String namespace, String name, String spec) {
        return SERIALIZATION.unmarshal("apiVersion: surge.dev/v1alpha1\nkind: " + kind + "\nmetadata: {name: " + name
                + ", namespace: " + namespace + "}\nspec:\n  " + spec.replace("\n", "\n  ") + "\n",
                GenericKubernetesResource.class);
    }

    static GenericKubernetesResource broker(String namespace, String name) {
        return resource("Broker", namespace, name, "partitions: 3");
    }

    static GenericKubernetesResource function(String namespace, String name, String spec) {
        return resource("Function", namespace, name, spec);
    }

    static GenericKubernetesResource trigger(String namespace, String name, String spec) {
        return resource("Trigger", namespace, name, spec);
    }
}
