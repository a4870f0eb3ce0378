package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** A Trigger's {@code filter}: Knative's legacy exact match of attributes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttributesFilter {
    @JsonPropertyDescription("CloudEvent attribute name to the value it must equal")
    private Map<String, String> attributes;

    public Map<String, String> getAttributes() {
        return attributes;
    }

    public void setAttributes(Map<String, String> attributes) {
        this.attributes = attributes;
    }
}
