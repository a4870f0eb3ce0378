package dev.surge.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Function;
import dev.surge.core.resource.Metadata;
import dev.surge.core.scaling.ScalingPolicy;
import java.net.InetAddress;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real function JVM (the greeter) whose port another process holds: it exits, and says so in its log. */
class JvmFunctionProcessIT {
    private static final Path GREETER = Path.of(System.getProperty("test.functions.dir", "../../functions"))
            .resolve("greeter/target/quarkus-app").toAbsolutePath().normalize();

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    /**
     * Another HTTP server holds the port and answers the readiness path itself: until our JVM exits on its failed
     * bind, the probe must not take that answer for ours.
     */
    @Test
    void aFunctionWhosePortIsTakenIsNeverReadyAndIsRecognisedAsALostPortRace() throws Exception {
        assertThat(GREETER.resolve("quarkus-run.jar")).as("build the functions first").exists();
        Path log = Path.of("target", "jvm-function-process-it", "greeter.log").toAbsolutePath();
        Files.deleteIfExists(log);
        Function greeter = new Function(new Metadata("greeter", "test"), null, GREETER.toString(), Function.DEFAULT_PORT,
                Map.of(), 1, ScalingPolicy.DEFAULT);
        HttpServer someoneElse = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        someoneElse.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        someoneElse.start();
        try {
            JvmFunctionProcess p = new JvmFunctionProcess(greeter, java(), someoneElse.getAddress().getPort(), log,
                    List.of());
            p.start();
            try {
                assertThat(p.probeReady()).as("the other server answers, but it is not our replica").isFalse();
                int code = p.exited().get(60, TimeUnit.SECONDS);
                assertThat(code).as("exit code").isNotZero();
                assertThat(p.portTaken()).as("the log says the port was in use:\n" + Files.readString(log)).isTrue();
            } finally {
                p.stop(Duration.ofSeconds(5));
            }
        } finally {
            someoneElse.stop(0);
        }
    }

    @Test
    void aFunctionThatCrashesForAnotherReasonIsNoPortRace() throws Exception {
        Path log = Path.of("target", "jvm-function-process-it", "broken.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Path notAJar = Files.writeString(log.resolveSibling("not-a.jar"), "no jar");
        Function broken = new Function(new Metadata("broken", "test"), null, notAJar.toString(), Function.DEFAULT_PORT,
                Map.of(), 1, ScalingPolicy.DEFAULT);
        JvmFunctionProcess p = new JvmFunctionProcess(broken, java(), FunctionSupervisor.freePort(), log, List.of());
        p.start();
        try {
            assertThat(p.exited().get(60, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(p.portTaken()).isFalse();
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
    }
}
