package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import java.io.IOException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replica of a function: a child JVM running the function's Quarkus app on its own port, with its
 * output appended to a log file. Ready once {@code /q/health/ready} answers 200 (or 404, for apps without
 * the health extension, which then count as ready as soon as they serve HTTP).
 */
final class FunctionProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private final Function function;
    private final String java;
    private final int port;
    private final Path logFile;
    private Process process;
    private volatile boolean ready;

    private final List<String> extraOptions;

    FunctionProcess(Function function, String java, int port, Path logFile, List<String> extraOptions) {
        this.function = function;
        this.java = java;
        this.port = port;
        this.logFile = logFile;
        this.extraOptions = extraOptions;
    }

    /** JVM options of every function process: small, quick-starting JVMs, one of many on a laptop. */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k");
    /** An AOT cache (JDK 25+) next to {@code quarkus-run.jar}, made by a training run; see docs/benchmarks.md. */
    static final String AOT_CACHE = "app.aot";
    private static final Map<String, Integer> JAVA_VERSIONS = new ConcurrentHashMap<>();

    /** The command line: {@code java -Dquarkus.http.port=<port> <options> -jar <app>/quarkus-run.jar}. */
    List<String> command() {
        Path app = Path.of(function.path());
        Path jar = Files.isDirectory(app) ? app.resolve("quarkus-run.jar") : app;
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(extraOptions);
        Path aot = jar.resolveSibling(AOT_CACHE);
        if (Files.isRegularFile(aot) && javaFeatureVersion(java) >= 25) {
            cmd.add("-XX:AOTCache=" + aot);
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }

    /** The feature version of a Java launcher (17, 25 …), asked once per launcher; 0 when unknown. */
    static int javaFeatureVersion(String java) {
        return JAVA_VERSIONS.computeIfAbsent(java, j -> {
            try {
                Process p = new ProcessBuilder(j, "-version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor(10, TimeUnit.SECONDS);
                Matcher m = Pattern.compile("version \"(\\d+)").matcher(out);
                return m.find() ? Integer.parseInt(m.group(1)) : 0;
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        });
    }

    synchronized void start() throws IOException {
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Path app = Path.of(function.path());
        pb.directory((Files.isDirectory(app) ? app : app.getParent()).toFile());
        pb.environment().putAll(function.env());
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        ready = false;
        process = pb.start();
    }

    /** Polls readiness until {@code timeout}; false when the process died or did not get ready in time. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                return false;
            }
            try {
                int status = HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 404) {
                    ready = true;
                    return true;
                }
            } catch (IOException notListeningYet) {
                // the JVM is still starting
            }
            Thread.sleep(25); // poll interval of a child process we do not control; not a test
        }
        return false;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    boolean isReady() {
        return ready && isAlive();
    }

    /** Asks the function to stop (SIGTERM, Quarkus shuts down gracefully), then kills it after {@code grace}. */
    void stop(Duration grace) {
        Process p;
        synchronized (this) {
            ready = false;
            p = process;
        }
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    synchronized Process process() {
        return process;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    int port() {
        return port;
    }

    Path logFile() {
        return logFile;
    }

    Function function() {
        return function;
    }
}
