package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * A filter inside {@code all}, {@code any} or {@code not} of a {@link SubscriptionsFilter}. Its own nested filters
 * are kept as written ({@code x-kubernetes-preserve-unknown-fields}: a structural schema cannot recurse, and an
 * object schema without properties would have the API server prune their content) and checked by the core.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(OneDialectFilters.class)
public class NestedSubscriptionsFilter extends FilterDialects {
    @JsonPropertyDescription("Filters that must all match")
    @Size(min = 1)
    private List<JsonNode> all;

    @JsonPropertyDescription("Filters of which at least one must match")
    @Size(min = 1)
    private List<JsonNode> any;

    @JsonPropertyDescription("A filter that must not match")
    private JsonNode not;

    public List<JsonNode> getAll() {
        return all;
    }

    public void setAll(List<JsonNode> all) {
        this.all = all;
    }

    public List<JsonNode> getAny() {
        return any;
    }

    public void setAny(List<JsonNode> any) {
        this.any = any;
    }

    public JsonNode getNot() {
        return not;
    }

    public void setNot(JsonNode not) {
        this.not = not;
    }
}
