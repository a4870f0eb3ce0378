package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One filter of a Trigger's {@code filters}, with exactly one dialect, as Knative's {@code SubscriptionsAPIFilter}
 * and the core's {@code TriggerFilters}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(OneDialectFilters.class)
public class SubscriptionsFilter extends FilterDialects {
    @JsonPropertyDescription("Filters that must all match")
    @Size(min = 1)
    private List<NestedSubscriptionsFilter> all;

    @JsonPropertyDescription("Filters of which at least one must match")
    @Size(min = 1)
    private List<NestedSubscriptionsFilter> any;

    @JsonPropertyDescription("A filter that must not match")
    private NestedSubscriptionsFilter not;

    public List<NestedSubscriptionsFilter> getAll() {
        return all;
    }

    public void setAll(List<NestedSubscriptionsFilter> all) {
        this.all = all;
    }

    public List<NestedSubscriptionsFilter> getAny() {
        return any;
    }

    public void setAny(List<NestedSubscriptionsFilter> any) {
        this.any = any;
    }

    public NestedSubscriptionsFilter getNot() {
        return not;
    }

    public void setNot(NestedSubscriptionsFilter not) {
        this.not = not;
    }
}
