/**
 * Surge's Kubernetes API: the {@link dev.surge.kubernetes.api.Broker}, {@link dev.surge.kubernetes.api.Function}
 * and {@link dev.surge.kubernetes.api.Trigger} custom resources of {@code surge.dev/v1alpha1}, the same documents
 * as in {@code surge.yaml}.
 *
 * <p>The spec classes mirror the fields the core's readers accept (names, defaults, ranges, formats); the CRDs'
 * OpenAPI schemas are generated from them at build time (see {@link dev.surge.kubernetes.api.SurgeCrds}). The
 * core's readers stay the one authority on validity: {@link dev.surge.kubernetes.api.CoreResources} turns a
 * custom resource into the core's resource through them, so a cluster and {@code surge validate} never disagree.
 * Where the schema cannot say what the readers check (references, CESQL syntax, nested filters, reserved
 * namespaces, backoffCap ≥ backoffDelay), the operator reports the readers' problem in the resource's status.
 */
package dev.surge.kubernetes.api;
