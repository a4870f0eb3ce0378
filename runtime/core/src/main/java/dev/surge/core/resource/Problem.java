package dev.surge.core.resource;

/**
 * One thing wrong in a resource file, said so that a user can find and fix it without a stack trace.
 *
 * @param file     the file as the user named it
 * @param document 1-based index of the YAML document in the file, 0 when the file as a whole is wrong
 * @param resource {@code Kind/name} of the document when known, else null
 * @param field    dotted path of the field, e.g. {@code spec.filters[1].cesql}, or null
 * @param message  what is wrong and what is expected
 */
public record Problem(String file, int document, String resource, String field, String message) {
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file);
        if (document > 0) {
            s.append(": document ").append(document);
            if (resource != null) {
                s.append(" (").append(resource).append(')');
            }
        }
        if (field != null) {
            s.append(": ").append(field);
        }
        return s.append(": ").append(message).toString();
    }
}
