package dev.surge.core.filter;

/** A filter that cannot be compiled; {@link #field()} is the path below the filter that is wrong. */
public class FilterException extends RuntimeException {
    private final String field;

    public FilterException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
