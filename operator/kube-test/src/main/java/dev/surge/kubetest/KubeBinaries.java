package dev.surge.kubetest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where the kube-apiserver, etcd and kubectl binaries built by {@code .ci/kube-apiserver.sh} are expected:
 * {@code ${SURGE_KUBE_DIR:-$HOME/.cache/surge/kube}/k8s/1.20.2-linux-amd64/}, the layout io.fabric8:kube-api-test
 * reads. The script and this class must agree on that path.
 */
record KubeBinaries(Path versionDir) {

  static final String VERSION = "1.20.2";
  static final String CACHE_VARIABLE = "SURGE_KUBE_DIR";
  static final String SCRIPT = ".ci/kube-apiserver.sh";

  static KubeBinaries expectedIn(Function<String, String> env) {
    String configured = env.apply(CACHE_VARIABLE);
    Path cache = configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(env.apply("HOME"), ".cache", "surge", "kube");
    return new KubeBinaries(cache.toAbsolutePath().resolve("k8s").resolve(platformDir()));
  }

  /** The folder name kube-api-test looks for under {@code k8s/}. */
  static String platformDir() {
    return VERSION + "-linux-amd64";
  }

  Path apiServer() {
    return versionDir.resolve("kube-apiserver");
  }

  Path etcd() {
    return versionDir.resolve("etcd");
  }

  Path kubectl() {
    return versionDir.resolve("kubectl");
  }

  List<Path> missing() {
    return Stream.of(apiServer(), etcd(), kubectl()).filter(binary -> !Files.isExecutable(binary)).toList();
  }

  /** Says what is missing, where it looked and how to get it. */
  String missingMessage(List<Path> missing) {
    return "No real Kubernetes API server: missing or not executable " + missing
        + " (looked in " + versionDir + ", set " + CACHE_VARIABLE + " to look elsewhere). Run " + SCRIPT
        + " (as root, builds kube-apiserver v" + VERSION + " once, ~10 min) to provide them.";
  }
}
