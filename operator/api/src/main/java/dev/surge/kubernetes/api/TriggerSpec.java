package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A Trigger's spec, as surge.yaml's (the core's {@code TriggerSpecReader}). Filters nest ({@code all},
 * {@code any}, {@code not}); a structural schema cannot be recursive, so the schema types two levels
 * ({@link SubscriptionsFilter}, {@link NestedSubscriptionsFilter}) and keeps deeper ones as free objects, which
 * the core's reader checks (Knative's Trigger CRD types one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.function) != has(self.uri)",
        message = "give exactly one target: 'function' (a Function's name) or 'uri'")
public class TriggerSpec {
    @JsonPropertyDescription("Name of the Broker (same namespace) whose events this trigger routes")
    @Required
    @Pattern(SurgeApi.NOT_BLANK)
    private String broker;

    @JsonPropertyDescription("Knative's legacy filter: every attribute must equal its value")
    private AttributesFilter filter;

    @JsonPropertyDescription("Filters of the CloudEvents Subscriptions API (exact, prefix, suffix, all, any, not,"
            + " cesql); all must match")
    private List<SubscriptionsFilter> filters;

    @JsonPropertyDescription("Target: the name of a Function (same namespace); or give uri")
    @Pattern(SurgeApi.NOT_BLANK)
    private String function;

    @JsonPropertyDescription("Target: an absolute http(s) URL; or give function")
    @Pattern(SurgeApi.HTTP_URL)
    private String uri;

    @JsonPropertyDescription("Retries, dead letters and ordering")
    private TriggerDelivery delivery;

    public String getBroker() {
        return broker;
    }

    public void setBroker(String broker) {
        this.broker = broker;
    }

    public AttributesFilter getFilter() {
        return filter;
    }

    public void setFilter(AttributesFilter filter) {
        this.filter = filter;
    }

    public List<SubscriptionsFilter> getFilters() {
        return filters;
    }

    public void setFilters(List<SubscriptionsFilter> filters) {
        this.filters = filters;
    }

    public String getFunction() {
        return function;
    }

    public void setFunction(String function) {
        this.function = function;
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public TriggerDelivery getDelivery() {
        return delivery;
    }

    public void setDelivery(TriggerDelivery delivery) {
        this.delivery = delivery;
    }
}
