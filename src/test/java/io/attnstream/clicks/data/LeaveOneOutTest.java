package io.attnstream.clicks.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaveOneOutTest {
    private static Map<String, List<String>> sequences() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("bob", List.of("c", "a", "d", "b")); // train c a, validation d, test b
        m.put("amy", List.of("a", "b", "c")); // train a, validation b, test c
        m.put("eve", List.of("e", "a")); // fewer than 3: all training
        m.put("dan", List.of());
        return m;
    }

    @Test
    void lastItemIsTestSecondToLastIsValidationRestIsTraining() {
        LeaveOneOut split = LeaveOneOut.split(sequences());
        ItemVocabulary v = split.vocabulary();

        assertThat(split.users())
                .containsExactly("amy", "bob", "eve"); // sorted, empty sequence dropped
        int bob = split.users().indexOf("bob");
        assertThat(split.train()[bob]).containsExactly(v.indexOf("c"), v.indexOf("a"));
        assertThat(split.validation()[bob]).isEqualTo(v.indexOf("d"));
        assertThat(split.test()[bob]).isEqualTo(v.indexOf("b"));
        int amy = split.users().indexOf("amy");
        assertThat(split.train()[amy]).containsExactly(v.indexOf("a"));
        assertThat(split.validation()[amy]).isEqualTo(v.indexOf("b"));
        assertThat(split.test()[amy]).isEqualTo(v.indexOf("c"));
    }

    @Test
    void usersWithFewerThanThreeItemsKeepEverythingInTraining() {
        LeaveOneOut split = LeaveOneOut.split(sequences());
        ItemVocabulary v = split.vocabulary();
        int eve = split.users().indexOf("eve");

        assertThat(split.train()[eve]).containsExactly(v.indexOf("e"), v.indexOf("a"));
        assertThat(split.validation()[eve]).isZero();
        assertThat(split.test()[eve]).isZero();
        assertThat(split.testHistory(eve)).containsExactly(v.indexOf("e"), v.indexOf("a"));
    }

    @Test
    void vocabularyCoversEveryItemOfEveryPartInSortedOrder() {
        ItemVocabulary v = LeaveOneOut.split(sequences()).vocabulary();

        assertThat(v.size()).isEqualTo(5);
        assertThat(List.of(v.idOf(1), v.idOf(2), v.idOf(3), v.idOf(4), v.idOf(5)))
                .containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void testHistoryIsTrainingPlusValidationAndValidationHistoryIsTraining() {
        LeaveOneOut split = LeaveOneOut.split(sequences());
        ItemVocabulary v = split.vocabulary();
        int bob = split.users().indexOf("bob");

        assertThat(split.validationHistory(bob)).containsExactly(v.indexOf("c"), v.indexOf("a"));
        assertThat(split.testHistory(bob))
                .containsExactly(v.indexOf("c"), v.indexOf("a"), v.indexOf("d"));
        assertThat(split.itemsOf(bob))
                .containsExactlyInAnyOrder(
                        v.indexOf("a"), v.indexOf("b"), v.indexOf("c"), v.indexOf("d"));
    }
}
