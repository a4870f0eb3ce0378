package dev.surge.operator.function;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which fields of a Deployment's pod spec ({@code spec.template.spec}) other field managers own and the operator
 * does not: what a user added with {@code kubectl edit} or a patch, and server-side apply would leave in place.
 * Read from {@code metadata.managedFields} (fieldsV1 paths such as
 * {@code f:spec/f:template/f:spec/f:containers/k:{"name":"function"}/f:env/k:{"name":"X"}/f:value}). The pod
 * template's metadata is not looked at: {@code kubectl rollout restart} stamps an annotation there, which is a
 * user's right. Pure.
 */
final class TemplateDrift {
    private static final String POD_SPEC = "f:spec/f:template/f:spec/";

    private TemplateDrift() {
    }

    /** The leaf paths under the pod spec that only managers other than {@code operator} own; empty when none. */
    static Set<String> addedByOthers(Deployment live, String operator) {
        Set<String> mine = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        for (ManagedFieldsEntry entry : live.getMetadata().getManagedFields()) {
            if (entry.getFieldsV1() == null) {
                continue;
            }
            Set<String> into = operator.equals(entry.getManager()) ? mine : others;
            leaves("", entry.getFieldsV1().getAdditionalProperties(), into);
        }
        others.removeIf(path -> !path.startsWith(POD_SPEC) || mine.contains(path));
        return others;
    }

    @SuppressWarnings("unchecked")
    private static void leaves(String prefix, Map<String, Object> fields, Set<String> into) {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey();
            if (e.getKey().equals(".")) {
                into.add(prefix); // the element itself (a list item or map entry) belongs to this manager
            } else if (e.getValue() instanceof Map<?, ?> m && !m.isEmpty()) {
                leaves(path, (Map<String, Object>) m, into);
            } else {
                into.add(path);
            }
        }
    }
}
