package io.attnstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static LatencyHistogram oneToThousandMs() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            h.record(ms);
        }
        return h;
    }

    @Test
    void percentilesOfOneToThousandMsAreExact() {
        LatencyHistogram h = oneToThousandMs();

        assertThat(h.percentile(0.50)).isEqualTo(500);
        assertThat(h.percentile(0.99)).isEqualTo(990);
        assertThat(h.percentile(1.0)).isEqualTo(1000);
        assertThat(h.count()).isEqualTo(1000);
        assertThat(h.max()).isEqualTo(1000);
    }

    @Test
    void emptyHistogramReportsMinusOne() {
        LatencyHistogram h = new LatencyHistogram();

        assertThat(h.percentile(0.5)).isEqualTo(-1);
        assertThat(h.percentile(0.99)).isEqualTo(-1);
        assertThat(h.count()).isZero();
    }

    @Test
    void latencyAboveTenSecondsIsReportedAsUpperBoundOfItsHundredMsBucket() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(12_345);

        assertThat(h.percentile(0.5)).isEqualTo(12_400);
        assertThat(h.max()).isEqualTo(12_345);
    }

    @Test
    void fineAndCoarseBucketsMeetAtTenSeconds() {
        LatencyHistogram fine = new LatencyHistogram();
        fine.record(9_999);
        LatencyHistogram coarse = new LatencyHistogram();
        coarse.record(10_000);

        assertThat(fine.percentile(1.0)).isEqualTo(9_999);
        assertThat(coarse.percentile(1.0)).isEqualTo(10_100);
    }

    @Test
    void latencyBeyondTenMinutesReportsTheMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(5);
        h.record(700_000);

        assertThat(h.percentile(0.5)).isEqualTo(5);
        assertThat(h.percentile(0.99)).isEqualTo(700_000);
    }

    @Test
    void negativeLatencyCountsAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-40);

        assertThat(h.percentile(0.5)).isZero();
        assertThat(h.max()).isZero();
        assertThat(h.count()).isEqualTo(1);
    }
}
