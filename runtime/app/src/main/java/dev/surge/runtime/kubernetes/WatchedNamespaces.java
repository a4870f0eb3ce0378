package dev.surge.runtime.kubernetes;

import java.util.List;
import java.util.Optional;

/**
 * The namespaces whose Brokers, Functions and Triggers the runtime watches: all namespaces (one cluster-wide
 * watch per kind, which needs a ClusterRoleBinding), or a list (one watch per namespace and kind, which
 * RoleBindings in those namespaces suffice for).
 *
 * @param names the namespaces; empty for all
 */
public record WatchedNamespaces(List<String> names) {
    /** Every namespace the runtime's account may watch. */
    public static final WatchedNamespaces ALL = new WatchedNamespaces(List.of());

    public WatchedNamespaces {
        names = names.stream().map(String::trim).filter(n -> !n.isEmpty()).distinct().sorted().toList();
    }

    /**
     * From {@code surge.kubernetes.namespaces}: unset (or only blanks) means all namespaces.
     *
     * @throws IllegalArgumentException naming the setting when a name is not a Kubernetes namespace name
     */
    public static WatchedNamespaces of(Optional<List<String>> configured) {
        WatchedNamespaces n = new WatchedNamespaces(configured.orElse(List.of()));
        for (String name : n.names()) {
            if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("surge.kubernetes.namespaces: '" + name + "' is not a namespace"
                        + " name (lower-case letters, digits and '-', at most 63 characters)");
            }
        }
        return n;
    }

    public boolean all() {
        return names.isEmpty();
    }

    @Override
    public String toString() {
        return all() ? "all namespaces" : "namespace" + (names.size() > 1 ? "s " : " ") + String.join(", ", names);
    }
}
