package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.Lineage;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PredictionIdsTest {
    @Test
    void idsAreTheNameBasedUuidsOfEarlierReleases() {
        for (String name :
                new String[] {"", "a", "clicks-sasrec|4|clicks.events|1|12345|u7", "ü|ß|€"}) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            assertThat(PredictionIds.nameUuid(bytes)).isEqualTo(UUID.nameUUIDFromBytes(bytes));
        }
        assertThat(PredictionIds.of("m", "1", new Lineage("t", 0, 5L), "k"))
                .isEqualTo(
                        UUID.nameUUIDFromBytes("m|1|t|0|5|k".getBytes(StandardCharsets.UTF_8))
                                .toString())
                .isNotEqualTo(PredictionIds.of("m", "1", new Lineage("t", 0, 6L), "k"));
    }

    @Test
    void idsOfNamesWithNonAsciiLargeNumbersAndLongParts() {
        String longKey = "k".repeat(300);
        for (Object[] c :
                new Object[][] {
                    {"modèle", "1", "t", 0, 0L, "ü"},
                    {"m", "2", "clicks.events", 7, Long.MAX_VALUE, longKey},
                    {"m", null, "t", 12, 9_876_543_210L, "€x"},
                    {"m", "3", "t", 1, -1L, "k"}
                }) {
            String name = c[0] + "|" + c[1] + "|" + c[2] + "|" + c[3] + "|" + c[4] + "|" + c[5];
            assertThat(
                            PredictionIds.of(
                                    (String) c[0],
                                    (String) c[1],
                                    new Lineage((String) c[2], (Integer) c[3], (Long) c[4]),
                                    (String) c[5]))
                    .as(name)
                    .isEqualTo(
                            UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
                                    .toString());
        }
    }
}
