package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhaseBacklogTest {
    @Test
    void aFastPhaseGetsTenSecondsOfClicks() {
        assertThat(PhaseBacklog.size(169_312, 40_000)).isEqualTo(1_693_120);
        assertThat(PhaseBacklog.size(43_956.2, 60_000)).isEqualTo(439_562);
    }

    @Test
    void aSlowPhaseKeepsTheRequestedCount() {
        assertThat(PhaseBacklog.size(2_347, 40_000)).isEqualTo(40_000);
    }

    @Test
    void theBacklogIsCappedButNeverBelowTheRequestedCount() {
        assertThat(PhaseBacklog.size(1e7, 40_000)).isEqualTo(PhaseBacklog.MAX_RECORDS);
        assertThat(PhaseBacklog.size(1e7, 3_000_000)).isEqualTo(3_000_000);
    }

    @Test
    void withoutAnEstimateTheRequestedCountIsUsed() {
        assertThat(PhaseBacklog.size(0, 40_000)).isEqualTo(40_000);
        assertThat(PhaseBacklog.size(Double.NaN, 40_000)).isEqualTo(40_000);
    }
}
