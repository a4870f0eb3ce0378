package dev.surge.runtime.kubernetes;

import dev.surge.kubernetes.api.ResourceSelection.Rejected;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says each left-out resource's problems once: again only when its problems change, not on every change of
 * another resource (or of its own status). A resource that runs again, or is deleted, is forgotten.
 */
final class RejectionReports {
    private final Map<String, List<String>> reported = new HashMap<>();

    /** @return the rejections not reported yet with these problems; they count as reported from now on */
    synchronized List<Rejected> toReport(List<Rejected> now) {
        Map<String, List<String>> next = new HashMap<>();
        List<Rejected> fresh = new java.util.ArrayList<>();
        for (Rejected r : now) {
            next.put(r.id(), r.lines());
            if (!r.lines().equals(reported.get(r.id()))) {
                fresh.add(r);
            }
        }
        reported.clear();
        reported.putAll(next);
        return fresh;
    }
}
