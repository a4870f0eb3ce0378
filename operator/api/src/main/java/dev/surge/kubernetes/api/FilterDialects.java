package dev.surge.kubernetes.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** The dialects of a filter that hold no other filter: exact, prefix, suffix and cesql. */
public abstract class FilterDialects {
    @JsonPropertyDescription("Attribute name to the value it must equal")
    @Size(min = 1)
    private Map<String, @Size(min = 1) String> exact;

    @JsonPropertyDescription("Attribute name to the value it must start with")
    @Size(min = 1)
    private Map<String, @Size(min = 1) String> prefix;

    @JsonPropertyDescription("Attribute name to the value it must end with")
    @Size(min = 1)
    private Map<String, @Size(min = 1) String> suffix;

    @JsonPropertyDescription("A CloudEvents SQL expression that must be true")
    @Pattern(SurgeApi.NOT_BLANK)
    private String cesql;

    public Map<String, String> getExact() {
        return exact;
    }

    public void setExact(Map<String, String> exact) {
        this.exact = exact;
    }

    public Map<String, String> getPrefix() {
        return prefix;
    }

    public void setPrefix(Map<String, String> prefix) {
        this.prefix = prefix;
    }

    public Map<String, String> getSuffix() {
        return suffix;
    }

    public void setSuffix(Map<String, String> suffix) {
        this.suffix = suffix;
    }

    public String getCesql() {
        return cesql;
    }

    public void setCesql(String cesql) {
        this.cesql = cesql;
    }
}
