package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The cluster options of {@code status}, {@code logs} and {@code deploy} are one mixin: the same names, the same
 * parsing and errors, each command's own help text and default timeout.
 */
class ClusterOptionsTest {
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("status", (Supplier<Object>) StatusCommand::new, "10s", true,
                        "Only this namespace (default: all)."),
                Arguments.of("logs", (Supplier<Object>) LogsCommand::new, "10s", true,
                        "The function's namespace"),
                Arguments.of("deploy", (Supplier<Object>) DeployCommand::new, "5m", false,
                        "The release's namespace (default: the kube config's)."));
    }

    /** The commands that read a running Surge unless given --kubernetes (deploy always works on a cluster). */
    static Stream<Arguments> localOrCluster() {
        return Stream.of(Arguments.of("status", (Supplier<Object>) StatusCommand::new),
                Arguments.of("logs", (Supplier<Object>) LogsCommand::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyClusterCommandTakesTheSameOptionsFromOneMixin(String name, Supplier<Object> command, String timeout,
            boolean localToo, String namespaceHelp) {
        CommandLine cmd = new CommandLine(command.get());
        Object mixin = cmd.getCommandSpec().mixins().get("cluster").userObject();
        assertThat(mixin).isInstanceOf(localToo ? ClusterOptions.LocalOrCluster.class : ClusterOptions.class);
        List<String> names = cmd.getCommandSpec().mixins().get("cluster").options().stream()
                .map(OptionSpec::longestName).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(localToo
                ? List.of("--context", "--namespace", "--timeout", "--kubernetes")
                : List.of("--context", "--namespace", "--timeout"));

        CliRun help = CliRun.run(command.get(), "--help");
        assertThat(help.out()).contains("--context=CONTEXT", "-n, --namespace=NAMESPACE", "--timeout=DURATION",
                "(default: " + timeout + ")");
        assertThat(help.out().replaceAll("\\s+", " ")).contains(namespaceHelp);
        assertThat(help.out().contains("-k, --kubernetes")).isEqualTo(localToo);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aBadTimeoutIsTheSameUsageErrorEverywhere(String name, Supplier<Object> command, String timeout,
            boolean localToo, String namespaceHelp) {
        CliRun r = CliRun.run(command.get(), "greeter", "--timeout", "soon");
        if (name.equals("status")) {
            r = CliRun.run(command.get(), "--timeout", "soon");
        }
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("'soon' is not a duration; write e.g. 500ms, 30s, 2m or PT30S");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("localOrCluster")
    void aContextWithoutKubernetesIsAUsageErrorWhereBothAreOffered(String name, Supplier<Object> command) {
        CliRun r = name.equals("status") ? CliRun.run(command.get(), "--context", "kind-surge")
                : CliRun.run(command.get(), "greeter", "--context", "kind-surge");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--context is for a cluster: give --kubernetes too");
    }
}
