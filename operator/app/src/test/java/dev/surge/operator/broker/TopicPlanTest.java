package dev.surge.operator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.resource.Broker;
import dev.surge.core.resource.Metadata;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicPlanTest {
    static final long WEEK = Duration.ofDays(7).toMillis();

    static Broker broker(int partitions, int replicas) {
        return new Broker(new Metadata("default", "shop"), partitions, (short) replicas, Duration.ofDays(7));
    }

    @Test
    void aMissingTopicIsCreated() {
        TopicPlan plan = TopicPlan.of(broker(3, 1), Optional.empty());
        assertThat(plan.create()).isTrue();
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void aTopicAsTheBrokerSaysNeedsNothing() {
        TopicPlan plan = TopicPlan.of(broker(3, 1), Optional.of(new TopicPlan.Topic(3, (short) 1, WEEK)));
        assertThat(plan.changes()).isFalse();
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void partitionsGrow() {
        TopicPlan plan = TopicPlan.of(broker(6, 1), Optional.of(new TopicPlan.Topic(3, (short) 1, WEEK)));
        assertThat(plan).isEqualTo(new TopicPlan(false, Optional.of(6), Optional.empty(), java.util.List.of()));
    }

    @Test
    void partitionsNeverShrinkAndTheNoteSaysSo() {
        TopicPlan plan = TopicPlan.of(broker(2, 1), Optional.of(new TopicPlan.Topic(5, (short) 1, WEEK)));
        assertThat(plan.changes()).isFalse();
        assertThat(plan.notes()).singleElement().asString()
                .contains("spec.partitions is 2").contains("has 5").contains("cannot remove partitions");
    }

    @Test
    void replicationFactorIsReportedNotChanged() {
        TopicPlan plan = TopicPlan.of(broker(3, 3), Optional.of(new TopicPlan.Topic(3, (short) 1, WEEK)));
        assertThat(plan.changes()).isFalse();
        assertThat(plan.notes()).singleElement().asString().contains("spec.replicationFactor is 3")
                .contains("reassignment");
    }

    @Test
    void retentionIsSetWhenItDiffersOrIsUnknown() {
        assertThat(TopicPlan.of(broker(3, 1), Optional.of(new TopicPlan.Topic(3, (short) 1, 1000L))).retentionMs())
                .contains(WEEK);
        assertThat(TopicPlan.of(broker(3, 1), Optional.of(new TopicPlan.Topic(3, (short) 1, null))).retentionMs())
                .contains(WEEK);
    }

    @Test
    void addressIsTheIngressPathOfTheBroker() {
        assertThat(BrokerReconciler.address(java.net.URI.create("http://surge-ingress.surge.svc"), "shop", "default"))
                .isEqualTo("http://surge-ingress.surge.svc/shop/default");
        assertThat(BrokerReconciler.address(java.net.URI.create("https://events.example.com/"), "shop", "default"))
                .isEqualTo("https://events.example.com/shop/default");
    }
}
