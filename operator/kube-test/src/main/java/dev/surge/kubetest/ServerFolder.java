package dev.surge.kubetest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder one API server runs from, under the module's {@code target/}: kube-api-test's layout
 * ({@code k8s/1.20.2-linux-amd64/}) linking to the cached binaries, its certificates, the kubeconfig, and etcd's
 * data. kube-api-test would put etcd's data in {@code java.io.tmpdir}; a launcher in the layout moves it here.
 */
final class ServerFolder {

  private final Path root;

  ServerFolder(Path root) {
    this.root = root.toAbsolutePath();
  }

  Path root() {
    return root;
  }

  Path etcdData() {
    return root.resolve("etcd");
  }

  Path kubeconfig() {
    return root.resolve("kubeconfig");
  }

  /** Lays out the binaries; etcd starts from an empty data folder. */
  void prepare(KubeBinaries binaries) {
    try {
      Path layout = root.resolve("k8s").resolve(KubeBinaries.platformDir());
      Files.createDirectories(layout);
      link(layout.resolve("kube-apiserver"), binaries.apiServer());
      link(layout.resolve("kubectl"), binaries.kubectl());
      deleteEtcdData();
      Files.createDirectories(etcdData());
      Path launcher = layout.resolve("etcd");
      // etcd's flags are Go flags: the last occurrence wins, so these override kube-api-test's temp folders.
      // exec keeps one process, so kube-api-test's handle stops etcd itself.
      Files.writeString(launcher, """
          #!/bin/sh
          # Written by RealApiServer: etcd's data under target/ instead of java.io.tmpdir.
          exec '%s' "$@" --data-dir '%s' --wal-dir '%s'
          """.formatted(binaries.etcd(), etcdData().resolve("data"), etcdData().resolve("wal")));
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out the API server's folder " + root, e);
    }
  }

  void deleteEtcdData() {
    if (!Files.exists(etcdData())) {
      return;
    }
    try (Stream<Path> files = Files.walk(etcdData())) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete etcd's data in " + etcdData(), e);
    }
  }

  private static void link(Path link, Path target) throws IOException {
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, target);
  }
}
