package dev.surge.kubetest;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Packaged apps (the operator's, the runtime's {@code quarkus-run.jar}) as child JVMs of a test, each logging to
 * {@code <folder>/<name>.log}: started with the test's own {@code java}, awaited on {@code /q/health/ready}, and all
 * stopped by {@link #close()} (SIGTERM, then SIGKILL after 20 s), which a test calls in its {@code @AfterAll} so that
 * nothing outlives it, also when it fails.
 */
public final class ChildJvms implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Path folder;
  private final List<Process> processes = new ArrayList<>();

  public ChildJvms(Path folder) {
    this.folder = folder.toAbsolutePath();
    try {
      Files.createDirectories(this.folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java <arguments>} with {@code env} added to this JVM's environment. */
  public synchronized Process start(String name, List<String> arguments, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
    builder.environment().putAll(env);
    try {
      Process p = builder.start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Waits until {@code http://127.0.0.1:<port>/q/health/ready} answers 200; fails at once when the process died. */
  public void awaitReady(String name, Process p, int port, Duration timeout) {
    await().atMost(timeout).until(() -> {
      if (!p.isAlive()) {
        throw new AssertionError(name + " exited with " + p.exitValue() + ", see " + log(name));
      }
      return status("http://127.0.0.1:" + port + "/q/health/ready") == 200;
    });
  }

  public Path log(String name) {
    return folder.resolve(name + ".log");
  }

  /** The HTTP status of a GET, or -1 while nothing listens. */
  public static int status(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException notListeningYet) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A TCP port free on loopback now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }
}
