package io.attnstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.platform.AttnstreamException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AttentionSampleTest {

    @Test
    void keepsTheConfiguredShareOfSequentialPredictionIds() {
        // prediction ids of consecutive offsets differ only in their last characters
        long kept =
                IntStream.range(0, 20_000)
                        .filter(i -> AttentionSample.keeps("clicks.events-1-" + i, 0.25))
                        .count();
        assertThat(kept / 20_000.0).isCloseTo(0.25, within(0.015));
    }

    @Test
    void theChoiceDependsOnTheIdAloneAndGrowsWithTheRate() {
        for (int i = 0; i < 2_000; i++) {
            String id = "p" + i;
            assertThat(AttentionSample.keeps(id, 0.5)).isEqualTo(AttentionSample.keeps(id, 0.5));
            if (AttentionSample.keeps(id, 0.3)) {
                assertThat(AttentionSample.keeps(id, 0.6))
                        .as("a record kept at 0.3 is kept at 0.6")
                        .isTrue();
            }
            assertThat(AttentionSample.keeps(id, 1.0)).isTrue();
            assertThat(AttentionSample.keeps(id, 0.0)).isFalse();
        }
    }

    @Test
    void filterAppliesTheIdFunction() throws Exception {
        AttentionSample<String> sample = new AttentionSample<>(0.5, s -> s.substring(1));
        for (int i = 0; i < 100; i++) {
            assertThat(sample.filter("x" + i))
                    .isEqualTo(AttentionSample.keeps(Integer.toString(i), 0.5));
        }
    }

    @Test
    void rejectsRatesOutsideZeroToOne() {
        assertThatThrownBy(() -> new AttentionSample<String>(1.5, s -> s))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("attnstream.job.attention-sample-rate must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new AttentionSample<String>(Double.NaN, s -> s))
                .isInstanceOf(AttnstreamException.class);
    }
}
