package io.attnstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlateauRateTest {
    @Test
    void halvesAfterPatienceValidationsWithoutABestAndStartsCountingAgain() {
        PlateauRate rate = new PlateauRate(1e-2f, 2, 0.5f, 1e-3f);

        assertThat(rate.validated(true)).isFalse();
        assertThat(rate.validated(false)).isFalse();
        assertThat(rate.validated(true)).as("a best resets the count").isFalse();
        assertThat(rate.validated(false)).isFalse();
        assertThat(rate.validated(false)).isTrue();
        assertThat(rate.getNewValue(123)).isEqualTo(5e-3f);
        assertThat(rate.validated(false)).isFalse();
        assertThat(rate.validated(false)).isTrue();
        assertThat(rate.rate()).isEqualTo(2.5e-3f);
        rate.validated(false);
        rate.validated(false);
        rate.validated(false);
        rate.validated(false);
        assertThat(rate.rate()).as("never below the minimum").isEqualTo(1e-3f);
        assertThat(rate.validated(false)).isFalse();
        assertThat(rate.validated(false)).as("at the minimum nothing is cut").isFalse();
    }

    @Test
    void patienceZeroKeepsTheRateFixed() {
        PlateauRate rate = new PlateauRate(3e-3f, 0, 0.5f, 1e-5f);
        for (int i = 0; i < 10; i++) {
            assertThat(rate.validated(false)).isFalse();
        }
        assertThat(rate.getNewValue(0)).isEqualTo(3e-3f);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new PlateauRate(0f, 1, 0.5f, 1e-5f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlateauRate(1e-3f, 1, 1f, 1e-5f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlateauRate(1e-3f, -1, 0.5f, 1e-5f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
