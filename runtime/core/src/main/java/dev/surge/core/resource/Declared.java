package dev.surge.core.resource;

/**
 * A resource as read from its document, with where to report problems about it.
 *
 * @param at the fields of the declaring document, whose problems name that document and resource
 */
record Declared<R extends Resource>(R resource, DocumentFields at) {
}
