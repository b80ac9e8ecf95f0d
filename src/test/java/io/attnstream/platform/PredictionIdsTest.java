package io.attnstream.platform;

import io.attnstream.schema.Lineage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionIdsTest {
    @Test
    void idsAreTheNameBasedUuidsOfEarlierReleases() {
        for (String name : new String[] {"", "a", "clicks-sasrec|4|clicks.events|1|12345|u7", "ü|ß|€"}) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            assertThat(PredictionIds.nameUuid(bytes)).isEqualTo(UUID.nameUUIDFromBytes(bytes));
        }
        assertThat(PredictionIds.of("m", "1", new Lineage("t", 0, 5L), "k"))
                .isEqualTo(UUID.nameUUIDFromBytes("m|1|t|0|5|k".getBytes(StandardCharsets.UTF_8)).toString())
                .isNotEqualTo(PredictionIds.of("m", "1", new Lineage("t", 0, 6L), "k"));
    }
}
