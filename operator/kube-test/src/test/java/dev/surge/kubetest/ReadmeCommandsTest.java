package dev.surge.kubetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadmeCommandsTest {
    private static final String README = """
            # Tool

            ## Install

            ```sh
            kubectl create namespace demo      # a comment
            helm install surge helm/surge -n surge \\
              --set 'a.b={demo}' --set "c=d e"
            kubectl apply -n demo -f - <<<'{"kind": "Broker"}'
            kubectl port-forward svc/x 8080:80 &
            curl -i localhost:8080/demo -d '{
              "multi": "line"}'
            ```

            Not a command.

            ## Next

            ```sh
            never
            ```
            """;

    @Test
    void splitsTheSectionsCommandsAsShDoes() {
        List<ReadmeCommands.Command> commands = ReadmeCommands.of(README, "## Install").commands();

        assertThat(commands).extracting(ReadmeCommands.Command::words).containsExactly(
                List.of("kubectl", "create", "namespace", "demo"),
                List.of("helm", "install", "surge", "helm/surge", "-n", "surge", "--set", "a.b={demo}", "--set", "c=d e"),
                List.of("kubectl", "apply", "-n", "demo", "-f", "-"),
                List.of("kubectl", "port-forward", "svc/x", "8080:80"),
                List.of("curl", "-i", "localhost:8080/demo", "-d", "{\n  \"multi\": \"line\"}"));
        assertThat(commands.get(2).input()).isEqualTo("{\"kind\": \"Broker\"}");
        assertThat(commands.get(1).option("-n")).isEqualTo("surge");
    }

    @Test
    void refusesWhatItCannotSplit() {
        assertThatThrownBy(() -> ReadmeCommands.parse("echo 'open")).hasMessageContaining("unclosed quote");
        assertThatThrownBy(() -> ReadmeCommands.of(README, "## Missing")).hasMessageContaining("no section");
    }
}
