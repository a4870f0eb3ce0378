package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The helm command {@code surge deploy} runs or prints, built from its options. */
class HelmReleaseTest {
    @Test
    void theLeastIsAnUpgradeInstallOfTheChartWithTheFunctionsName() {
        HelmRelease r = new HelmRelease("greeter", "greeter", null, "helm/function", List.of(), null, List.of(), null,
                null);
        assertThat(r.problem()).isNull();
        assertThat(r.command()).containsExactly("helm", "upgrade", "--install", "greeter", "helm/function",
                "--set-string", "function.name=greeter");
        assertThat(r.waitCommand()).isNull();
    }

    @Test
    void everyOptionHasItsPlaceInTheCommand() {
        HelmRelease r = new HelmRelease("greeter", "greeter-eu", "demo", "/srv/surge/helm/function",
                List.of("base.yaml", "eu.yaml"), "ghcr.io/acme/greeter:1.0",
                List.of("function.scaling.maxReplicas=3", "triggers[0].broker=default"), "kind-surge",
                Duration.ofMinutes(2));
        assertThat(r.problem()).isNull();
        assertThat(r.command()).containsExactly("helm", "upgrade", "--install", "greeter-eu",
                "/srv/surge/helm/function", "--namespace", "demo", "--kube-context", "kind-surge", "-f", "base.yaml",
                "-f", "eu.yaml", "--set-string", "function.name=greeter", "--set-string",
                "function.image=ghcr.io/acme/greeter:1.0", "--set", "function.scaling.maxReplicas=3", "--set",
                "triggers[0].broker=default");
        // helm's --wait would not wait for a Function: the wait is the Function's Ready condition
        assertThat(r.waitCommand()).containsExactly("kubectl", "wait", "--for=condition=Ready",
                "functions.surge.dev/greeter", "--namespace", "demo", "--context", "kind-surge", "--timeout=120s");
    }

    @Test
    void theShellLineQuotesWhatAShellWouldSplitOrExpand() {
        assertThat(HelmRelease.shell(List.of("helm", "-f", "my values.yaml", "--set", "function.env.GREETING=it's me",
                "--set", "triggers[0].filter=a", "x=$HOME", "")))
                .isEqualTo("helm -f 'my values.yaml' --set 'function.env.GREETING=it'\"'\"'s me' --set"
                        + " 'triggers[0].filter=a' 'x=$HOME' ''");
        assertThat(HelmRelease.shell(List.of("helm", "upgrade", "--install", "g", "./helm/function", "-f",
                "/tmp/v.yaml", "--set-string", "function.image=ghcr.io/acme/g:1.0@sha256:ab")))
                .isEqualTo("helm upgrade --install g ./helm/function -f /tmp/v.yaml --set-string"
                        + " function.image=ghcr.io/acme/g:1.0@sha256:ab");
    }

    @Test
    void namesThatKubernetesOrHelmRefuseAreProblemsNamingTheOption() {
        assertThat(release("Greeter", "greeter", null, List.of())).contains("'Greeter' is not a function name");
        assertThat(release("greeter", "greeter", "Demo_1", List.of())).contains("--namespace 'Demo_1'");
        assertThat(release("greeter", "x".repeat(54), null, List.of())).contains("is not a helm release name");
        assertThat(release("greeter", "greeter", null, List.of("novalue"))).isEqualTo("--set 'novalue': write"
                + " KEY=VALUE, e.g. --set function.scaling.maxReplicas=3");
    }

    private static String release(String function, String release, String namespace, List<String> sets) {
        return new HelmRelease(function, release, namespace, "helm/function", List.of(), null, sets, null, null)
                .problem();
    }
}
