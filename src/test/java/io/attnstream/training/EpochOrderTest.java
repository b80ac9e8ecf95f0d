package io.attnstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EpochOrderTest {
    @Test
    void eachEpochIsASeededPermutationCutIntoBatches() {
        EpochOrder order = new EpochOrder(10, 4);
        assertThat(order.shuffle(new Random(7))).isEqualTo(3);
        int[] first = order.order().clone();
        assertThat(Arrays.stream(first).sorted().toArray())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(first).isNotEqualTo(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThat(order.from(2)).isEqualTo(8);
        assertThat(order.to(2)).isEqualTo(10);
        assertThat(order.to(1)).isEqualTo(8);

        EpochOrder again = new EpochOrder(10, 4);
        again.shuffle(new Random(7));
        assertThat(again.order()).containsExactly(first);
    }
}
