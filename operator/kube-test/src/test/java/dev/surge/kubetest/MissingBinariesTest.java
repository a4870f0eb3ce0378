package dev.surge.kubetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Without the binaries the tests of a class using RealApiServer are skipped on a workstation; in CI it fails. */
class MissingBinariesTest {

  private static final Path EMPTY_CACHE = Path.of("target", "no-kube-binaries").toAbsolutePath();

  @Test
  void withoutTheBinariesEachTestIsSkippedSayingWhereItLookedAndWhatToRun() {
    EngineExecutionResults results = runSampleWith(Map.of("SURGE_KUBE_DIR", EMPTY_CACHE.toString()));

    assertThat(results.testEvents().aborted().count()).isEqualTo(2);
    assertThat(results.testEvents().failed().count()).isZero();
    assertThat(results.testEvents().aborted().stream().findFirst().orElseThrow()
        .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage())
        .contains(EMPTY_CACHE.resolve("k8s/1.20.2-linux-amd64").toString())
        .contains("kube-apiserver").contains(".ci/kube-apiserver.sh");
  }

  @Test
  void withoutTheBinariesTheClassFailsWhereTheyAreRequired() {
    EngineExecutionResults results =
        runSampleWith(Map.of("SURGE_KUBE_DIR", EMPTY_CACHE.toString(), "SURGE_KUBE_API", "required"));

    Event classFailed = results.containerEvents().failed().stream().findFirst().orElseThrow();
    assertThat(classFailed.getTestDescriptor().getDisplayName()).endsWith(SampleUsingTheServer.class.getSimpleName());
    assertThat(classFailed.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage())
        .contains(EMPTY_CACHE.toString()).contains(".ci/kube-apiserver.sh").contains("SURGE_KUBE_API=required");
    assertThat(results.testEvents().started().count()).isZero();
  }

  @Test
  void anUnknownRequirementIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> MissingBinaries.from(Map.of("SURGE_KUBE_API", "yes")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SURGE_KUBE_API='yes'").hasMessageContaining("'required'");
  }

  @Test
  void theCacheIsUnderHomeUnlessConfigured() {
    assertThat(KubeBinaries.expectedIn(Map.of("HOME", "/home/ada")::get).versionDir())
        .isEqualTo(Path.of("/home/ada/.cache/surge/kube/k8s/1.20.2-linux-amd64"));
    assertThat(KubeBinaries.expectedIn(Map.of("HOME", "/home/ada", "SURGE_KUBE_DIR", "/opt/kube")::get).apiServer())
        .isEqualTo(Path.of("/opt/kube/k8s/1.20.2-linux-amd64/kube-apiserver"));
  }

  private static EngineExecutionResults runSampleWith(Map<String, String> env) {
    SampleUsingTheServer.env = env;
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(SampleUsingTheServer.class)).execute();
  }

  /** Run only through EngineTestKit above (Surefire skips nested classes). */
  static class SampleUsingTheServer {
    static volatile Map<String, String> env = Map.of();

    @RegisterExtension
    static RealApiServer api = new RealApiServer(name -> env.get(name), Path.of("target", "kube-api"));

    @Test
    void listsNamespaces() {
      api.client().namespaces().list();
    }

    @Test
    void readsTheKubeconfig() {
      api.kubeconfig();
    }
  }
}
