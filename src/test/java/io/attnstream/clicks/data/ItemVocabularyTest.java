package io.attnstream.clicks.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemVocabularyTest {
    @Test
    void listedVocabularyIndexesFromOneAndRoundTripsThroughPreprocessing() {
        ItemVocabulary v = ItemVocabulary.of(List.of("a", "b", "c"));
        assertThat(v.indexOf("a")).isEqualTo(1);
        assertThat(v.indexOf("c")).isEqualTo(3);
        assertThat(v.indexOf("zzz")).isEqualTo(ItemVocabulary.UNKNOWN);
        assertThat(v.idOf(2)).isEqualTo("b");
        ItemVocabulary back = ItemVocabulary.fromPreprocessing(v.toPreprocessing());
        assertThat(back.indexOf("b")).isEqualTo(2);
        assertThat(back.size()).isEqualTo(3);
    }

    @Test
    void numericVocabularyAcceptsIdsInRangeOnly() {
        ItemVocabulary v =
                ItemVocabulary.fromPreprocessing(
                        Map.of("item_ids", "numeric", "vocabulary_size", 10));
        assertThat(v.indexOf("10")).isEqualTo(10);
        assertThat(v.indexOf("11")).isEqualTo(ItemVocabulary.UNKNOWN);
        assertThat(v.indexOf("0")).isEqualTo(ItemVocabulary.UNKNOWN);
        assertThat(v.indexOf("x")).isEqualTo(ItemVocabulary.UNKNOWN);
        assertThat(v.idOf(7)).isEqualTo("7");
    }

    @Test
    void preprocessingWithoutAVocabularyIsRejected() {
        assertThatThrownBy(() -> ItemVocabulary.fromPreprocessing(Map.of()))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("vocabulary");
        assertThatThrownBy(() -> ItemVocabulary.numeric(5).idOf(6))
                .hasMessageContaining("outside 1..5");
    }
}
