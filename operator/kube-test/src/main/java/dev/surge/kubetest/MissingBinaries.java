package dev.surge.kubetest;

import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test class does when the API server's binaries are absent: on a workstation it is aborted (reported as
 * skipped); where {@code SURGE_KUBE_API=required} (CI) it fails, so the tier is never silently skipped there.
 */
enum MissingBinaries {
  ABORT,
  FAIL;

  static final String VARIABLE = "SURGE_KUBE_API";

  static MissingBinaries from(Function<String, String> env) {
    String value = env.apply(VARIABLE);
    if (value == null || value.isBlank()) {
      return ABORT;
    }
    if (value.equals("required")) {
      return FAIL;
    }
    throw new IllegalArgumentException(
        VARIABLE + "='" + value + "' is not understood: set it to 'required' (fail without the binaries) or leave it unset (skip)");
  }

  /** Always throws: an aborted-test exception or an {@link IllegalStateException}, both carrying {@code message}. */
  RuntimeException report(String message) {
    if (this == FAIL) {
      throw new IllegalStateException(message + " (" + VARIABLE + "=required, so this fails instead of skipping)");
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable: Assumptions.abort throws");
  }
}
