package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The {@code surge} command as Main runs it: every command is there and answers {@code --help}. */
class SurgeCommandLineTest {
    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new Main.Surge());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(out, true));
        assertThat(cmd.execute(args)).as(out.toString()).isEqualTo(expectedExit);
        return out.toString();
    }

    @Test
    void surgeHelpListsEveryCommand() {
        assertThat(run(0, "--help")).contains("up", "validate", "aot-train", "send", "status", "logs", "deploy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"up", "validate", "aot-train", "send", "status", "logs", "deploy"})
    void everyCommandAnswersHelp(String command) {
        assertThat(run(0, command, "--help")).startsWith("Usage: surge " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "up", "validate", "aot-train", "new", "send", "status", "logs", "deploy"})
    void versionPrintsThisSurgesVersionOnEveryCommand(String command) {
        String[] args = command.isEmpty() ? new String[] {"--version"} : new String[] {command, "--version"};
        String out = run(0, args);
        assertThat(out).matches("surge \\d+\\.\\d+\\.\\d+[-.A-Za-z0-9]*\nJava \\S+ \\(.+\\)\n")
                .isEqualTo(run(0, "-V"));
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitTwo() {
        assertThat(run(2, "send", "--type", "t", "--colour", "red")).contains("Unknown options: '--colour', 'red'");
    }
}
