package dev.surge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The {@code surge} command as Main runs it: every command is there and answers {@code --help}. */
class SurgeCommandLineTest {
    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine();
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
    @ValueSource(strings = {"up", "validate", "aot-train", "new", "send", "status", "logs", "deploy"})
    void everyCommandsHelpListsItsExitCodesAndTheReadmeExplainsEach(String command) throws Exception {
        String help = run(0, command, "--help");
        assertThat(help).contains("Exit codes:").containsPattern("\n  2 +bad arguments");

        String readme = Files.readString(Path.of(System.getProperty("test.functions.dir")).resolveSibling("README.md"));
        String section = readme.substring(readme.indexOf("## The `surge` command"), readme.indexOf("## Ingress contract"));
        Map<String, String> codes = Main.commandLine().getSubcommands().get(command).getCommandSpec().usageMessage()
                .exitCodeList();
        assertThat(codes).isNotEmpty();
        for (String code : codes.keySet()) {
            assertThat(section).as("README's exit code table has %s of %s", code, command)
                    .containsPattern("\\n\\| " + code.trim() + " \\| ");
        }
    }

    @Test
    void validateExitsWithZeroForAValidFileAndTwoNamingTheProblemsOfAnInvalidOne(@TempDir Path dir) throws Exception {
        Path valid = Files.writeString(dir.resolve("surge.yaml"), """
                apiVersion: surge.dev/v1alpha1
                kind: Broker
                metadata: {name: default, namespace: demo}
                """);
        Run ok = runApart("validate", valid.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo(valid + ": 1 broker(s), 0 function(s), 0 trigger(s)\n");

        Path invalid = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: surge.dev/v1alpha1
                kind: Trigger
                metadata: {name: greet, namespace: demo}
                spec: {broker: nowhere, uri: http://localhost:9/}
                """);
        Run bad = runApart("validate", invalid.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("surge: " + invalid + " cannot be used:\n  ").contains("nowhere");

        Run missing = runApart("validate", dir.resolve("missing.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "up", "validate", "aot-train", "new", "send", "status", "logs", "deploy"})
    void versionPrintsThisSurgesVersionOnEveryCommand(String command) {
        String[] args = command.isEmpty() ? new String[] {"--version"} : new String[] {command, "--version"};
        String out = run(0, args);
        assertThat(out).matches("surge \\d+\\.\\d+\\.\\d+[-.A-Za-z0-9]*\nJava \\S+ \\(.+\\)\n")
                .isEqualTo(run(0, "-V"));
    }

    /** Standard output and error apart, as a script sees them. */
    private record Run(int exit, String out, String err) {
    }

    private static Run runApart(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitTwoAndAHintNotTheWholeHelp() {
        Run r = runApart("send", "--type", "t", "--colour", "red");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("surge send: Unknown options: '--colour', 'red'\n")
                .endsWith("See 'surge send --help'.\n").doesNotContain("Usage:");
        assertThat(r.err().lines()).hasSizeLessThanOrEqualTo(3); // the error, picocli's suggestion, the hint
    }

    @Test
    void aMisspelledOptionIsSuggested() {
        Run r = runApart("status", "--timout", "5s");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("surge status: Unknown options: '--timout', '5s'\n")
                .contains("--timeout").endsWith("See 'surge status --help'.\n").doesNotContain("Usage:");
    }

    @Test
    void aMissingRequiredOptionAndAnUnknownCommandAreUsageErrorsToo() {
        Run send = runApart("send");
        assertThat(send.exit()).isEqualTo(2);
        assertThat(send.err()).isEqualTo("surge send: Missing required option: '--type=TYPE'\n"
                + "See 'surge send --help'.\n");

        Run unknown = runApart("stauts");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("surge: Unmatched argument at index 0: 'stauts'\n").contains("status")
                .endsWith("See 'surge --help'.\n");
    }

    @Test
    void aValueACommandRefusesAfterParsingIsTheSameUsageError() {
        Run status = runApart("status", "--context", "kind-surge");
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.err()).isEqualTo("surge status: --context is for a cluster: give --kubernetes too\n"
                + "See 'surge status --help'.\n");

        Run up = runApart("up", "--roles", "ingress,router");
        assertThat(up.exit()).isEqualTo(2);
        assertThat(up.err()).isEqualTo("surge up: --roles: 'router' is not a role; use ingress, dispatcher, scaler\n"
                + "See 'surge up --help'.\n");
    }
}
