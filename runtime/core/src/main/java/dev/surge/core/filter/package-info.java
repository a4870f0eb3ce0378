/**
 * Trigger filters: Knative's {@code filter.attributes} and {@code filters} dialects (exact, prefix, suffix, all,
 * any, not, cesql). {@link dev.surge.core.filter.TriggerFilters} compiles a spec, reporting the wrong field;
 * the result is a {@link dev.surge.core.filter.TriggerFilter} value — a tree of records equal by spec, so a
 * Trigger read twice from the same YAML is the same Trigger, and one whose filter changed is a changed one.
 */
package dev.surge.core.filter;
