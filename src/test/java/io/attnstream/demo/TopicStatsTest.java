package io.attnstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicStatsTest {

    @Test
    void latencyCountsOnlyOutputsWhoseInputCameAfterTheWarmUp() {
        TopicStats t = new TopicStats("clicks.recommendations", "out");
        t.countLatencyFrom(20_000);

        t.add(25_000, 10_000, "m@1"); // input during the warm-up: 15 s
        t.add(26_000, 19_999, "m@1"); // one ms before the cut-off: 6,001 ms
        t.add(21_500, 20_000, "m@1"); // at the cut-off: 1,500 ms
        t.add(23_000, 22_000, "m@1"); // after it: 1,000 ms

        assertThat(t.latency().count()).isEqualTo(2);
        assertThat(t.latency().percentile(1.0)).isEqualTo(1_500);
        assertThat(t.latency().percentile(0.5)).isEqualTo(1_000);
        assertThat(t.latencyWithWarmUp().count()).isEqualTo(4);
        assertThat(t.latencyWithWarmUp().max()).isEqualTo(15_000);
        assertThat(t.records()).isEqualTo(4);
        assertThat(t.labels()).containsEntry("m@1", 4L);
    }

    @Test
    void withoutACutOffEveryOutputCounts() {
        TopicStats t = new TopicStats("traffic.forecasts", "out");

        t.add(5_000, 1_000, "m@1");
        t.add(5_000, 4_000, "m@1");

        assertThat(t.latency().count()).isEqualTo(2);
        assertThat(t.latency().max()).isEqualTo(4_000);
    }

    @Test
    void outputsWithoutAnInputTimeAreCountedButHaveNoLatency() {
        TopicStats t = new TopicStats("video.segments", "out");
        t.countLatencyFrom(0);

        t.add(5_000, -1, "undecodable");

        assertThat(t.records()).isEqualTo(1);
        assertThat(t.latency().count()).isZero();
        assertThat(t.latencyWithWarmUp().count()).isZero();
        assertThat(t.takeRecentLatency().count()).isZero();
    }

    @Test
    void recentLatencyCoversTheOutputsSinceThePreviousTake() {
        TopicStats t = new TopicStats("clicks.recommendations", "out");
        t.countLatencyFrom(
                Long.MAX_VALUE); // still warming up: the live status shows latency all the same

        t.add(10_000, 1_000, "m@1");
        LatencyHistogram first = t.takeRecentLatency();
        t.add(11_000, 10_800, "m@1");
        t.add(11_000, 10_700, "m@1");
        LatencyHistogram second = t.takeRecentLatency();
        LatencyHistogram third = t.takeRecentLatency();

        assertThat(first.count()).isEqualTo(1);
        assertThat(first.max()).isEqualTo(9_000);
        assertThat(second.count()).isEqualTo(2);
        assertThat(second.max()).isEqualTo(300);
        assertThat(third.count()).isZero();
        assertThat(t.latency().count()).isZero();
        assertThat(t.latencyWithWarmUp().count()).isEqualTo(3);
    }
}
