package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Map;

/** A Function's spec, as surge.yaml's (the core's {@code FunctionSpecReader}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(Quantities.class)
@ValidationRule(value = "has(self.image) || has(self.path)",
        message = "a function needs a path (local mode: a built quarkus-app folder or jar) or an image (Kubernetes)")
public class FunctionSpec {
    @JsonPropertyDescription("Container image of the function (Kubernetes mode)")
    @Pattern(SurgeApi.NOT_BLANK)
    private String image;

    @JsonPropertyDescription("Local mode only: a built quarkus-app folder or a runnable jar")
    @Pattern(SurgeApi.NOT_BLANK)
    private String path;

    @JsonPropertyDescription("Port the function listens on in its container")
    @Default("8080")
    @Min(1)
    @Max(65_535)
    private Integer port;

    @JsonPropertyDescription("Environment variables of the function")
    private Map<String, String> env;

    @JsonPropertyDescription("CPU and memory of each replica's container, as a Pod's resources")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Maximum deliveries in flight to one replica")
    @Default("100")
    @Min(1)
    @Max(100_000)
    private Integer concurrency;

    @JsonPropertyDescription("How many replicas to run for the matching backlog of the function's triggers")
    private FunctionScaling scaling;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Map<String, String> getEnv() {
        return env;
    }

    public void setEnv(Map<String, String> env) {
        this.env = env;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public FunctionScaling getScaling() {
        return scaling;
    }

    public void setScaling(FunctionScaling scaling) {
        this.scaling = scaling;
    }
}
