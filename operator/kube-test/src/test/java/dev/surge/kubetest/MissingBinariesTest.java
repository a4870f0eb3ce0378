package dev.surge.kubetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** Without the binaries a class using RealApiServer is skipped on a workstation and fails in CI. */
class MissingBinariesTest {

  private static final Path EMPTY_CACHE = Path.of("target", "no-kube-binaries").toAbsolutePath();

  @Test
  void withoutTheBinariesTheClassIsSkippedSayingWhereItLookedAndWhatToRun() {
    TestExecutionResult result = runSampleWith(Map.of("SURGE_KUBE_DIR", EMPTY_CACHE.toString()));

    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
    assertThat(result.getThrowable().orElseThrow().getMessage())
        .contains(EMPTY_CACHE.resolve("k8s/1.20.2-linux-amd64").toString())
        .contains("kube-apiserver").contains(".ci/kube-apiserver.sh");
  }

  @Test
  void withoutTheBinariesTheClassFailsWhereTheyAreRequired() {
    TestExecutionResult result =
        runSampleWith(Map.of("SURGE_KUBE_DIR", EMPTY_CACHE.toString(), "SURGE_KUBE_API", "required"));

    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(result.getThrowable().orElseThrow().getMessage())
        .contains(EMPTY_CACHE.toString()).contains(".ci/kube-apiserver.sh").contains("SURGE_KUBE_API=required");
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

  private static TestExecutionResult runSampleWith(Map<String, String> env) {
    SampleUsingTheServer.env = env;
    Event classFinished = EngineTestKit.engine("junit-jupiter").selectors(selectClass(SampleUsingTheServer.class))
        .execute().containerEvents().finished().filter(e -> e.getTestDescriptor().getSource()
            .map(s -> s.toString().contains(SampleUsingTheServer.class.getSimpleName())).orElse(false))
        .findFirst().orElseThrow();
    assertThat(classFinished.getType()).isEqualTo(EventType.FINISHED);
    return classFinished.getPayload(TestExecutionResult.class).orElseThrow();
  }

  /** Run only through EngineTestKit above (Surefire skips nested classes). */
  static class SampleUsingTheServer {
    static volatile Map<String, String> env = Map.of();

    @RegisterExtension
    static RealApiServer api = new RealApiServer(name -> env.get(name), Path.of("target", "kube-api"));

    @Test
    void usesTheServer() {
      api.client();
    }
  }
}
