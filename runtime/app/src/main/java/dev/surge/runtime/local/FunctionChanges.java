package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The difference between the functions that run and the functions wanted, by namespace and name; a function
 * whose spec differs in any field (compared by value) is changed.
 */
public record FunctionChanges(List<Function> added, List<Function> removed, List<Function> changed) {

    static FunctionChanges between(Collection<Function> running, Collection<Function> wanted) {
        Map<String, Function> before = byKey(running);
        Map<String, Function> after = byKey(wanted);
        List<Function> added = new ArrayList<>();
        List<Function> changed = new ArrayList<>();
        after.forEach((key, f) -> {
            Function old = before.get(key);
            if (old == null) {
                added.add(f);
            } else if (!old.equals(f)) {
                changed.add(f);
            }
        });
        List<Function> removed = before.entrySet().stream().filter(e -> !after.containsKey(e.getKey()))
                .map(Map.Entry::getValue).toList();
        return new FunctionChanges(List.copyOf(added), removed, List.copyOf(changed));
    }

    boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static Map<String, Function> byKey(Collection<Function> functions) {
        Map<String, Function> m = new LinkedHashMap<>();
        functions.forEach(f -> m.put(key(f.namespace(), f.name()), f));
        return m;
    }
}
