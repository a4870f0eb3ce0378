package dev.surge.core.resource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns the {@code spec} of one kind of resource into its record.
 *
 * <p>Contract: every wrong field of {@code spec} is reported to {@code fields} with its dotted path (from
 * {@code spec.}), not just the first, and defaults fill what is absent. The result is the resource whenever
 * {@code metadata} is known, even if problems were reported (so references can still be checked), and null
 * when {@code metadata} is null. References to other resources are not checked here (see {@link References}).
 *
 * @param <R> the kind of resource
 */
interface SpecReader<R extends Resource> {
    /**
     * @param metadata the document's valid metadata, or null when it has problems of its own
     * @param spec     the document's {@code spec} mapping, or a missing node when the document has none
     */
    R read(Metadata metadata, JsonNode spec, DocumentFields fields);
}
