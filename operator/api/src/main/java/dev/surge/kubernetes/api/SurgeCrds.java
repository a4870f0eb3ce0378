package dev.surge.kubernetes.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CustomResourceDefinitions of Surge, generated from this module's classes at build time by fabric8's
 * crd-generator-maven-plugin and shipped in this jar at {@value #LOCATION}: {@code brokers.surge.dev-v1.yml},
 * {@code functions.surge.dev-v1.yml}, {@code triggers.surge.dev-v1.yml} (also in
 * {@code operator/api/target/classes/META-INF/surge/crds/} after a build, for the Helm chart's {@code crds/}).
 */
public final class SurgeCrds {
    /** Class-path folder of the CRD files. */
    public static final String LOCATION = "META-INF/surge/crds/";
    /** File names, one per kind: Broker, Function, Trigger. */
    public static final List<String> FILES = List.of(file("brokers"), file("functions"), file("triggers"));

    private SurgeCrds() {
    }

    /** @return the CRDs of Broker, Function and Trigger, in that order */
    public static List<CustomResourceDefinition> all() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        return FILES.stream().map(name -> read(name, serialization)).toList();
    }

    /**
     * Creates the three CRDs and waits until the API server serves each (condition {@code Established}), so that
     * custom resources can be written right after: a workstation's or a test's set-up. A cluster gets them
     * from the Helm chart.
     */
    public static void install(KubernetesClient client, Duration timeout) {
        for (CustomResourceDefinition crd : all()) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
        for (CustomResourceDefinition crd : all()) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType())
                                    && "True".equals(x.getStatus())), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static CustomResourceDefinition read(String name, KubernetesSerialization serialization) {
        try (InputStream in = SurgeCrds.class.getClassLoader().getResourceAsStream(LOCATION + name)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + name + " is not on the class path; the CRDs are"
                        + " generated when surge-kubernetes-api is built (process-classes)");
            }
            return serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String file(String plural) {
        return plural + "." + SurgeApi.GROUP + "-v1.yml";
    }
}
