package dev.surge.kubetest;

import java.util.function.Function;

/**
 * What tests do when the API server's binaries are absent: on a workstation each test is aborted (reported as
 * skipped); where {@code SURGE_KUBE_API=required} (CI) the class fails, so the tier is never silently skipped there.
 */
enum MissingBinaries {
  SKIP,
  FAIL;

  static final String VARIABLE = "SURGE_KUBE_API";

  static MissingBinaries from(Function<String, String> env) {
    String value = env.apply(VARIABLE);
    if (value == null || value.isBlank()) {
      return SKIP;
    }
    if (value.equals("required")) {
      return FAIL;
    }
    throw new IllegalArgumentException(
        VARIABLE + "='" + value + "' is not understood: set it to 'required' (fail without the binaries) or leave it unset (skip)");
  }

  static IllegalStateException failure(String message) {
    return new IllegalStateException(message + " (" + VARIABLE + "=required, so this fails instead of skipping)");
  }
}
