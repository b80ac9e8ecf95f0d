package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

    private static ModelSpec spec(Map<String, Object> preprocessing) {
        return new ModelSpec(
                "m",
                "2",
                "kind",
                Map.of(),
                List.of(),
                List.of(),
                preprocessing,
                null,
                null,
                null,
                null);
    }

    private static final ModelSpec SPEC =
            spec(
                    Map.of(
                            "steps",
                            12.0,
                            "ratio",
                            0.5,
                            "flag",
                            true,
                            "mean",
                            List.of(0.25, 1),
                            "ids",
                            List.of("a", 7),
                            "word",
                            "seven"));

    @Test
    void readsEachKindOfValue() {
        assertThat(Preprocessing.positiveInt(SPEC, "steps"))
                .isEqualTo(12); // JSON may write 12 as 12.0
        assertThat(Preprocessing.number(SPEC, "ratio").doubleValue()).isEqualTo(0.5);
        assertThat(Preprocessing.bool(SPEC, "flag")).isTrue();
        assertThat(Preprocessing.floats(SPEC, "mean", "a list of numbers"))
                .containsExactly(0.25f, 1f);
        assertThat(Preprocessing.strings(SPEC, "ids", "a list of ids")).containsExactly("a", "7");
    }

    @Test
    void aMissingValueOrSectionNamesTheModelAndTheKey() {
        assertThatThrownBy(() -> Preprocessing.number(SPEC, "std"))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("model.json of m@2 lacks preprocessing.std");
        assertThatThrownBy(() -> Preprocessing.value(spec(null), "std"))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("model.json of m@2 lacks preprocessing.std");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpectedAndWhatWasFound() {
        assertThatThrownBy(() -> Preprocessing.number(SPEC, "word"))
                .hasMessage("model.json of m@2: preprocessing.word must be a number, got 'seven'");
        assertThatThrownBy(() -> Preprocessing.positiveInt(SPEC, "ratio"))
                .hasMessage(
                        "model.json of m@2: preprocessing.ratio must be a positive integer, got"
                                + " '0.5'");
        assertThatThrownBy(() -> Preprocessing.positiveInt(SPEC, "word"))
                .hasMessage(
                        "model.json of m@2: preprocessing.word must be a positive integer, got"
                                + " 'seven'");
        assertThatThrownBy(() -> Preprocessing.bool(SPEC, "word"))
                .hasMessage(
                        "model.json of m@2: preprocessing.word must be true or false, got 'seven'");
        assertThatThrownBy(() -> Preprocessing.floats(SPEC, "ids", "a list of 2 numbers"))
                .hasMessage(
                        "model.json of m@2: preprocessing.ids must be a list of 2 numbers, got '[a,"
                                + " 7]'");
        assertThatThrownBy(() -> Preprocessing.strings(SPEC, "word", "a list of ids"))
                .hasMessage(
                        "model.json of m@2: preprocessing.word must be a list of ids, got 'seven'");
    }

    @Test
    void aRefusedValueKeepsTheCheckersReason() {
        AttnstreamException e =
                Preprocessing.rejected(SPEC, new IllegalArgumentException("std must be positive"));

        assertThat(e).hasMessage("model.json of m@2: preprocessing std must be positive");
    }
}
