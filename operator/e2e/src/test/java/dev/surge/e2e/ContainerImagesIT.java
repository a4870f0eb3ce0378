package dev.surge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.e2e.images.BaseImage;
import dev.surge.e2e.images.ImageTarball;
import dev.surge.e2e.images.OfflineImageBuild;
import dev.surge.helm.Charts;
import dev.surge.helm.Charts.Rendered;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Surge's two images, surge-runtime and surge-operator, and the example greeter's, built for real as the README's
 * walk-through builds them (its registry and group), only offline: a child {@code ./mvnw -o package} of runtime/app,
 * operator/app and functions/greeter with {@code -Dquarkus.container-image.build=true}, Jib on a one-layer base image
 * tarball, handing each image to a stand-in {@code docker load} ({@link OfflineImageBuild}). Then each image of Surge
 * is checked for what helm/surge's Deployments rely on when they run it: the name and tag the chart renders with the
 * README's {@code --set global.imageRegistry}, an entry point that runs quarkus-run.jar (the chart gives only
 * arguments), the container port, a numeric non-root user equal to the chart's {@code securityContext} (restricted
 * pod security), and the app's files, readable by that user. The greeter's is the image helm/function names with the
 * same value, with its port.
 */
class ContainerImagesIT {
    /** The README's build command pushes to registry.example.com/acme: {@code registry} and {@code group}. */
    static final String REGISTRY = "registry.example.com";
    static final String GROUP = "acme";
    static final Path SCRATCH = Path.of(System.getProperty("surge.images.scratch", "target/container-images"))
            .toAbsolutePath();

    static Map<String, ImageTarball> images;

    @BeforeAll
    static void buildImages() throws Exception {
        deleteRecursively(SCRATCH);
        Path root = Path.of(System.getProperty("surge.root", "../..")).toAbsolutePath().normalize();
        Path userRepository = Path.of(System.getProperty("surge.local.repository",
                System.getProperty("user.home") + "/.m2/repository"));
        long start = System.nanoTime();
        List<Path> loaded = new OfflineImageBuild(root, SCRATCH, userRepository).build(
                List.of("runtime/app", "operator/app", "functions/greeter"),
                Map.of("quarkus.container-image.registry", REGISTRY, "quarkus.container-image.group", GROUP),
                Duration.ofMinutes(10));
        System.out.printf("ContainerImagesIT: the child build of the three images took %d s%n",
                Duration.ofNanos(System.nanoTime() - start).toSeconds());
        images = loaded.stream().map(ImageTarball::read)
                .collect(Collectors.toMap(ImageTarball::name, Function.identity()));
    }

    @AfterAll
    static void removeScratch() throws IOException {
        // The images, caches and copies are hundreds of MB; the build's output stays in container-images.log.
        deleteRecursively(SCRATCH);
    }

    @Test
    void theBuildLoadsOneImagePerApp() {
        assertThat(images).containsOnlyKeys(REGISTRY + "/" + GROUP + "/surge-runtime:0.1.0-SNAPSHOT",
                REGISTRY + "/" + GROUP + "/surge-operator:0.1.0-SNAPSHOT",
                REGISTRY + "/" + GROUP + "/greeter:1.0.0-SNAPSHOT");
    }

    /** {@code helm install greeter helm/function --set global.imageRegistry=registry.example.com/acme}. */
    @Test
    void theGreetersImageIsTheOneHelmFunctionNames() {
        JsonNode spec = Charts.render(Charts.FUNCTION, "global: {imageRegistry: %s/%s}".formatted(REGISTRY, GROUP))
                .get("Function", "greeter").path("spec");
        ImageTarball image = images.get(spec.path("image").asText());
        assertThat(image).as("the image %s the Function names, among those built: %s", spec.path("image"),
                images.keySet()).isNotNull();
        assertThat(fieldNames(image.config().path("ExposedPorts")))
                .containsExactly(spec.path("port").asInt() + "/tcp");
        assertThat(image.files()).containsKey(image.config().path("WorkingDir").asText().substring(1)
                + "/quarkus-run.jar");
    }

    /** With its default values the chart names the images by the same name and tag, under Surge's own registry. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"surge-operator", "surge-ingress", "surge-dispatcher"})
    void theChartsDefaultImageHasTheBuildsNameAndTag(String deployment) {
        String image = container(Charts.render(Charts.SURGE, ""), deployment).path("image").asText();
        assertThat(images.keySet()).extracting(ContainerImagesIT::nameAndTag).contains(nameAndTag(image));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"surge-operator", "surge-ingress", "surge-dispatcher"})
    void theImageRunsAsTheChartsDeploymentExpects(String deployment) {
        // The README's install: --set global.imageRegistry=registry.example.com/acme
        Rendered chart = Charts.render(Charts.SURGE, "global: {imageRegistry: %s/%s}".formatted(REGISTRY, GROUP));
        JsonNode pod = chart.get("Deployment", deployment).at("/spec/template/spec");
        JsonNode container = container(chart, deployment);

        ImageTarball image = images.get(container.path("image").asText());
        assertThat(image).as("the image %s the chart runs, among those built: %s", container.path("image"),
                images.keySet()).isNotNull();
        JsonNode config = image.config();

        // The chart gives arguments only (the runtime's 'up …'): the image's entry point must run the app.
        assertThat(container.has("command")).isFalse();
        assertThat(texts(config.path("Entrypoint"))).startsWith("java").endsWith("-jar", "quarkus-run.jar");
        assertThat(texts(config.path("Cmd"))).isEmpty();
        String workingDir = config.path("WorkingDir").asText();
        assertThat(workingDir).isEqualTo("/home/jboss");
        String runJar = workingDir.substring(1) + "/quarkus-run.jar";
        assertThat(image.files()).containsKey(runJar);
        assertThat(image.files().keySet()).anyMatch(f -> f.startsWith(workingDir.substring(1) + "/lib/main/"))
                .anyMatch(f -> f.startsWith(workingDir.substring(1) + "/app/"));
        assertThat(image.files()).as("built on the base image given").containsKey(BaseImage.MARKER);

        JsonNode http = stream(container.path("ports")).filter(p -> p.path("name").asText().equals("http"))
                .findFirst().orElseThrow();
        assertThat(fieldNames(config.path("ExposedPorts")))
                .containsExactly(http.path("containerPort").asInt() + "/tcp");

        // Restricted pod security: runAsNonRoot, which the kubelet can check only for a numeric user.
        String user = config.path("User").asText();
        assertThat(user).matches("[1-9][0-9]*:[0-9]+");
        JsonNode security = pod.path("securityContext");
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(user).isEqualTo(security.path("runAsUser").asText() + ":" + security.path("runAsGroup").asText());
        // Whatever user a pod runs as: the app's files are readable by all, owned by nobody in particular.
        assertThat(image.files().get(runJar) & 0444).isEqualTo(0444);
    }

    private static JsonNode container(Rendered chart, String deployment) {
        JsonNode containers = chart.get("Deployment", deployment).at("/spec/template/spec/containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /** {@code registry/path/name:tag} → {@code name:tag}. */
    private static String nameAndTag(String image) {
        return image.substring(image.lastIndexOf('/') + 1);
    }

    private static List<String> texts(JsonNode array) {
        return stream(array).map(JsonNode::asText).toList();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes.stream();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
