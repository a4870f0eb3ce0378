package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code surge logs} on local mode's replica log files, as the function supervisor writes them. */
class LogsCommandTest {
    @TempDir
    Path data;
    Path functions;

    @BeforeEach
    void writeLogs() throws Exception {
        functions = Files.createDirectories(data.resolve("functions"));
        Files.writeString(functions.resolve("demo.greeter.log"), "started 0\nhello Ada\n");
        Files.writeString(functions.resolve("demo.greeter.1.log"), "started 1\nhello Grace\nno newline at the end");
        // Another function, whose name ends like a replica number: not greeter's.
        Files.writeString(functions.resolve("demo.greeter-1.log"), "I am greeter-1\n");
        Files.writeString(functions.resolve("shop.payment.log"), "paid\n");
        Files.writeString(functions.resolve("notes.txt"), "not a log\n");
    }

    private CliRun logs(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = data.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.run(new LogsCommand(), all);
    }

    @Test
    void printsEveryReplicasLinesAfterTheReplica() {
        CliRun r = logs("greeter");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                [greeter#0] started 0
                [greeter#0] hello Ada
                [greeter#1] started 1
                [greeter#1] hello Grace
                [greeter#1] no newline at the end
                """);
    }

    @Test
    void namespaceSlashNameAndNamespaceOptionPickTheFunction() {
        assertThat(logs("demo/greeter-1").out()).isEqualTo("[greeter-1#0] I am greeter-1\n");
        assertThat(logs("payment", "-n", "shop").out()).isEqualTo("[payment#0] paid\n");
    }

    @Test
    void tailPrintsTheLastLinesOfEachReplica() {
        CliRun r = logs("greeter", "--tail", "1");
        assertThat(r.out()).isEqualTo("[greeter#0] hello Ada\n[greeter#1] no newline at the end\n");
        assertThat(logs("greeter", "--tail", "0").out()).isEmpty();
    }

    @Test
    void aFunctionWithoutLogsExitsWithThreeAndSaysWhy() {
        CliRun r = logs("nobody");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("no logs of function default/nobody in " + functions)
                .contains("a function at zero replicas never started has none");

        CliRun wrongDir = CliRun.run(new LogsCommand(), "--data-dir", data.resolve("elsewhere").toString(), "greeter");
        assertThat(wrongDir.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(wrongDir.err()).contains("no such folder: is --data-dir the one 'surge up' uses?");
    }

    @Test
    void aNameInSeveralNamespacesMustBeQualified() throws Exception {
        Files.writeString(functions.resolve("shop.greeter.log"), "shop's greeter\n");
        CliRun r = logs("greeter");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("functions named 'greeter' have logs in namespaces demo, shop; name one, e.g."
                + " demo/greeter");
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(logs("demo/greeter", "-n", "demo").err()).contains("names a namespace and so does --namespace");
        assertThat(logs("demo/").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(logs("greeter", "--tail", "-1").err()).contains("--tail -1: give 0 or more lines");
        assertThat(logs().err()).contains("Missing required parameter: '[NAMESPACE/]FUNCTION'");
    }

    @Test
    void followPrintsWhatReplicasAppendAndNewReplicasUntilInterrupted() throws Exception {
        LogsCommand command = new LogsCommand();
        command.pollInterval = Duration.ofMillis(20);
        StringWriter out = new StringWriter();
        CommandLine cmd = SurgeCli.commandLine(command);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread follower = new Thread(() -> exit.set(cmd.execute("--data-dir", data.toString(), "-f", "--tail", "1",
                "demo/greeter")));
        follower.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("[greeter#0] hello Ada\n"));
            Files.writeString(functions.resolve("demo.greeter.log"), "hello Alan\n", StandardOpenOption.APPEND);
            Files.writeString(functions.resolve("demo.greeter.1.log"), ", finished\n", StandardOpenOption.APPEND);
            Files.writeString(functions.resolve("demo.greeter.2.log"), "started 2\n");
            Files.writeString(functions.resolve("demo.greeter-1.log"), "not greeter's\n", StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(out.toString())
                    .contains("[greeter#0] hello Alan\n")
                    .contains("[greeter#1] no newline at the end, finished\n")
                    .contains("[greeter#2] started 2\n"));
        } finally {
            follower.interrupt();
            follower.join(10_000);
        }
        assertThat(follower.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(out.toString()).doesNotContain("started 0").doesNotContain("not greeter's")
                .startsWith("[greeter#0] hello Ada\n");
    }

    @Test
    void helpListsEveryOptionAndTheExitCodes() {
        CliRun r = CliRun.run(new LogsCommand(), "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: logs", "[NAMESPACE/]FUNCTION", "-n, --namespace=NAMESPACE", "-f, --follow",
                "--tail=LINES", "--data-dir=DIR", "-k, --kubernetes", "--context=CONTEXT", "Exit codes:",
                "0   done", "2   bad arguments", "3   no logs of that function");
    }
}
