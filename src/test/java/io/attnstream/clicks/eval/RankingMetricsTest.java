package io.attnstream.clicks.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    @Test
    void hitRateAndNdcgOfHandComputedRanks() {
        // ranks 0, 3, 7, 12, 30: HR@5 = 2/5, HR@10 = 3/5, HR@20 = 4/5
        RankingMetrics m = RankingMetrics.of(0, 3, 7, 12, 30);
        double g0 = 1.0; // 1 / log2(2)
        double g3 = 1 / (Math.log(5) / Math.log(2)); // 0.4307
        double g7 = 1 / (Math.log(9) / Math.log(2)); // 0.3155
        double g12 = 1 / (Math.log(14) / Math.log(2)); // 0.2627

        assertThat(m.users()).isEqualTo(5);
        assertThat(m.hr5()).isEqualTo(0.4);
        assertThat(m.hr10()).isEqualTo(0.6);
        assertThat(m.hr20()).isEqualTo(0.8);
        assertThat(m.ndcg5()).isCloseTo((g0 + g3) / 5, within(1e-12));
        assertThat(m.ndcg10()).isCloseTo((g0 + g3 + g7) / 5, within(1e-12));
        assertThat(m.ndcg20()).isCloseTo((g0 + g3 + g7 + g12) / 5, within(1e-12));
        assertThat(m.ndcg10()).isCloseTo(0.34923, within(1e-5));
    }

    @Test
    void rankJustBelowTheCutoffCountsAndAtTheCutoffDoesNot() {
        RankingMetrics m = RankingMetrics.of(9, 10);

        assertThat(m.hr10()).isEqualTo(0.5);
        assertThat(m.ndcg10()).isCloseTo(0.5 / (Math.log(11) / Math.log(2)), within(1e-12));
        assertThat(m.hr(20)).isEqualTo(1.0);
    }

    @Test
    void negativeRankAndUnknownCutoffAreRejected() {
        assertThatThrownBy(() -> RankingMetrics.of(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rank must be >= 0, got -1");
        assertThatThrownBy(() -> RankingMetrics.of(0).hr(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HR@3 is not computed (5, 10, 20 are)");
    }

    @Test
    void jsonNamesEveryCutoff() {
        assertThat(RankingMetrics.of(0, 30).toJson())
                .containsEntry("hr@10", 0.5)
                .containsEntry("ndcg@5", 0.5)
                .containsEntry("users", 2L);
    }
}
