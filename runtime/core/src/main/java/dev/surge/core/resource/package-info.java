/**
 * The resource model: Brokers, Functions and Triggers of API group {@code surge.dev/v1alpha1}, one schema for
 * local mode ({@code surge.yaml}) and Kubernetes (custom resources).
 *
 * <p>Resources are values. Every record here, and everything it holds (filters, delivery, scaling, env, URIs),
 * is immutable and compared by content, because the runtime never "starts once": a reconciler holds the
 * running {@link dev.surge.core.resource.ResourceSet}, reads the next one, and acts on
 * {@link dev.surge.core.resource.ResourceChanges#between} — added, removed, changed by (kind, namespace, name).
 *
 * <p>Reading a file is a pipeline of small steps, so that each kind's rules sit in one place and every problem
 * of a file is reported at once with its document and field path: {@code YamlDocuments} (text → documents),
 * {@link dev.surge.core.resource.ResourceLoader} (each document's apiVersion, kind, metadata), one
 * {@code SpecReader} per kind ({@code BrokerSpecReader}, {@code FunctionSpecReader}, {@code TriggerSpecReader},
 * all through {@code DocumentFields}), and {@code References} (unique names, Triggers' brokers and functions).
 */
package dev.surge.core.resource;
