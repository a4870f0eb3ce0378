package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replica as a child JVM running the function's Quarkus app on its own port, with its output appended to
 * a log file.
 */
final class JvmFunctionProcess implements FunctionProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    /** What a JVM (and Quarkus, which exits at once) writes when its HTTP port is taken. */
    private static final List<String> BIND_FAILURES = List.of("Address already in use",
            "seems to be in use by another process", "QuarkusBindException");
    /** The tail of the log read after an exit; a bind failure is the last thing the process writes. */
    private static final int LOG_TAIL_BYTES = 64 * 1024;

    private final Function function;
    private final String java;
    private final int port;
    private final Path logFile;
    private final List<String> extraOptions;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private Process process;
    private long logStart;
    /** Set once the port's listener was seen to be this process: nobody else can take the port after that. */
    private volatile boolean ownsPort;

    JvmFunctionProcess(Function function, String java, int port, Path logFile, List<String> extraOptions) {
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

    @Override
    public synchronized void start() throws IOException {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        Files.createDirectories(logFile.getParent());
        logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        ProcessBuilder pb = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Path app = Path.of(function.path());
        pb.directory((Files.isDirectory(app) ? app : app.getParent()).toFile());
        pb.environment().putAll(function.env());
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        process = pb.start();
        process.onExit().thenAccept(p -> exited.complete(p.exitValue()));
    }

    @Override
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    @Override
    public boolean probeReady() {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        try {
            int status = HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
            return (status == 200 || status == 404) && ownsPort();
        } catch (IOException notListening) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the answer came from this process and not from one that took its port (which would make a
     * replica "ready" at someone else's address until its JVM exits on the failed bind). Trusted where
     * {@code /proc} cannot tell.
     */
    private boolean ownsPort() {
        if (!ownsPort) {
            Long pid = pid();
            ownsPort = pid != null && PortOwnership.listens(pid, port).orElse(true);
        }
        return ownsPort;
    }

    /** Polls readiness until {@code timeout}; false when the process died or did not get ready in time. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                return false;
            }
            if (probeReady()) {
                return true;
            }
            Thread.sleep(25); // poll interval of a child process we do not control; not a test
        }
        return false;
    }

    @Override
    public boolean portTaken() {
        try (InputStream in = Files.newInputStream(logFile)) {
            long size = Files.size(logFile);
            long from = Math.max(logStart, size - LOG_TAIL_BYTES);
            in.skipNBytes(from);
            String tail = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return BIND_FAILURES.stream().anyMatch(tail::contains);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void stop(Duration grace) {
        Process p;
        synchronized (this) {
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

    @Override
    public synchronized Long pid() {
        return process == null ? null : process.pid();
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    Function function() {
        return function;
    }
}
