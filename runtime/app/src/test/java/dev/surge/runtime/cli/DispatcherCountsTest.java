package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The counts of a cluster's triggers, summed over the dispatcher pods' {@code GET /triggers} answers (the shape of
 * {@link StatusCommandTest#TRIGGERS}; {@code StatusOnKubernetesPackagedIT} reads real ones).
 */
class DispatcherCountsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<StatusReport.TriggerRow> rows(String json) throws Exception {
        return LocalStatus.triggers(JSON.readTree(json));
    }

    @Test
    void theCountsOfEveryPodAreAddedUpPerTrigger() throws Exception {
        DispatcherCounts counts = DispatcherCounts.sum(List.of(
                DispatcherCounts.Answer.of("surge", "surge-dispatcher-a", rows(StatusCommandTest.TRIGGERS)),
                DispatcherCounts.Answer.of("surge", "surge-dispatcher-b", rows("""
                        [ {"namespace": "demo", "name": "audit", "inFlight": 1, "delivered": 3, "restarts": 1,
                           "deadLettered": {"topic": 4, "uri": 1}} ]"""))), "in namespace surge");

        assertThat(counts.known()).isTrue();
        assertThat(counts.problems()).isEmpty();
        assertThat(counts.podNames()).containsExactly("surge/surge-dispatcher-a", "surge/surge-dispatcher-b");
        assertThat(counts.of("demo", "audit")).isEqualTo(new DispatcherCounts.TriggerCounts(1, 7 + 3,
                Map.of("topic", 2L + 4L, "failed", 1L, "uri", 1L), 3 + 1));
        // run by one pod only (the other left it out, or has not started it yet): that pod's counts
        assertThat(counts.of("demo", "greet")).isEqualTo(new DispatcherCounts.TriggerCounts(2, 120, Map.of(), 0));
        assertThat(counts.of("demo", "nobody-runs-it")).isNull();
    }

    @Test
    void onePodWithoutAnAnswerMakesEveryCountUnknownAndSaysWhy() throws Exception {
        DispatcherCounts counts = DispatcherCounts.sum(List.of(
                DispatcherCounts.Answer.of("surge", "surge-dispatcher-a", rows(StatusCommandTest.TRIGGERS)),
                DispatcherCounts.Answer.failed("surge", "surge-dispatcher-b", "dispatcher pod surge/surge-dispatcher-b"
                        + " did not answer GET /triggers on port 8080: 503 connection refused")), "in namespace surge");

        assertThat(counts.known()).isFalse();
        assertThat(counts.of("demo", "greet")).as("a sum without one pod would pass for the whole").isNull();
        assertThat(counts.problems()).containsExactly("dispatcher pod surge/surge-dispatcher-b did not answer GET"
                + " /triggers on port 8080: 503 connection refused");
        assertThat(counts.dispatchers()).extracting(DispatcherCounts.Dispatcher::problem).containsExactly(null,
                counts.problems().get(0));
    }

    @Test
    void theSameRefusalOfEveryPodIsSaidOnce() {
        String refused = "the cluster refused to get pods/proxy in namespace surge (403)";
        DispatcherCounts counts = DispatcherCounts.sum(List.of(
                DispatcherCounts.Answer.failed("surge", "a", refused),
                DispatcherCounts.Answer.failed("surge", "b", refused)), "in namespace surge");
        assertThat(counts.problems()).containsExactly(refused);
    }

    @Test
    void noPodMeansUnknownCountsNamingWhereItLooked() {
        DispatcherCounts counts = DispatcherCounts.sum(List.of(), "(labels x) in namespace surge");
        assertThat(counts.known()).isFalse();
        assertThat(counts.problems()).containsExactly("no running dispatcher pod (labels x) in namespace surge");
    }
}
