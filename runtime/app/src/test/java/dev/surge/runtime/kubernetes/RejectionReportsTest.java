package dev.surge.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Problem;
import dev.surge.kubernetes.api.ResourceSelection.Rejected;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionReportsTest {
    private final RejectionReports reports = new RejectionReports();

    @Test
    void aRejectionIsReportedOnceUntilItsProblemsChange() {
        Rejected bad = rejected("spec.broker", "missing");
        assertThat(reports.toReport(List.of(bad))).containsExactly(bad);
        assertThat(reports.toReport(List.of(bad))).isEmpty();

        Rejected worse = rejected("spec.broker", "still missing");
        assertThat(reports.toReport(List.of(worse))).containsExactly(worse);
    }

    @Test
    void aResourceThatWasFixedAndBrokeAgainIsReportedAgain() {
        Rejected bad = rejected("spec.broker", "missing");
        reports.toReport(List.of(bad));
        assertThat(reports.toReport(List.of())).isEmpty();
        assertThat(reports.toReport(List.of(bad))).containsExactly(bad);
    }

    private static Rejected rejected(String field, String message) {
        return new Rejected("Trigger", "shop", "t", "BrokerNotFound", List.of(new Problem("kubernetes", 1, "Trigger/t", field, message)));
    }
}
