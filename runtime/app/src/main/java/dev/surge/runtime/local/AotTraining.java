package dev.surge.runtime.local;

import dev.surge.core.resource.Function;
import dev.surge.core.resource.Metadata;
import dev.surge.core.scaling.ScalingPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code surge aot-train}: a training run of a function with the command line local mode uses (same JVM
 * options, same parent-watch agent, so the class path matches), which leaves an AOT cache {@code app.aot}
 * next to its {@code quarkus-run.jar} when the JVM exits. JDK 25+ only.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static boolean run(String java, Path app, Path dataDir, PrintStream out) throws IOException, InterruptedException {
        Path folder = app.toAbsolutePath().normalize();
        if (!Files.isRegularFile(folder.resolve("quarkus-run.jar"))) {
            out.println("surge: " + folder + " has no quarkus-run.jar; build the function first");
            return false;
        }
        if (JvmFunctionProcess.javaFeatureVersion(java) < 25) {
            out.println("surge: " + java + " is older than JDK 25, which AOT caches need");
            return false;
        }
        Path cache = folder.resolve(JvmFunctionProcess.AOT_CACHE);
        Files.deleteIfExists(cache);
        Path agent = ParentWatchAgent.write(ParentWatchAgent.path(dataDir.toAbsolutePath()));
        int port = FunctionSupervisor.freePort();
        Function f = new Function(new Metadata("aot-training", "default"), null, folder.toString(), port, Map.of(), 1,
                ScalingPolicy.DEFAULT);
        JvmFunctionProcess p = new JvmFunctionProcess(f, java, port, dataDir.toAbsolutePath().resolve("aot-training.log"),
                List.of(ParentWatchAgent.option(agent), "-XX:AOTCacheOutput=" + cache));
        p.start();
        try {
            if (!p.awaitReady(Duration.ofSeconds(120))) {
                out.println("surge: the training run did not get ready; see " + p.logFile());
                return false;
            }
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        } finally {
            p.stop(Duration.ofSeconds(60)); // the cache is written as the JVM exits
        }
        if (!Files.isRegularFile(cache)) {
            out.println("surge: no AOT cache was written; see " + p.logFile());
            return false;
        }
        out.printf("%s: %d MB; 'surge up --functions-java %s --data-dir %s' starts the function from it%n", cache,
                Files.size(cache) / (1024 * 1024), java, dataDir);
        return true;
    }
}
