package io.attnstream.clicks.job;

import static io.attnstream.clicks.ClickFixtures.click;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.ClickEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class ClickEventValidatorTest {
    private final ClickEventValidator validator = new ClickEventValidator();

    @Test
    void aWellFormedClickPasses() {
        ClickEvent e = click("u1", "i1", 0, List.of("i2"));
        e.setEventId("evt-1");
        assertThat(validator.problem(e)).isEmpty();
    }

    @Test
    void malformedIdsAreRejectedWithTheField() {
        assertThat(validator.problem(click(" ", "i1", 0, List.of()))).contains("user_id is empty");
        assertThat(validator.problem(click("u1", "", 0, List.of()))).contains("item_id is empty");
        assertThat(validator.problem(click("u1", "i\u0000x", 0, List.of())))
                .contains("item_id contains control characters");
        assertThat(validator.problem(click("u".repeat(300), "i1", 0, List.of())))
                .contains("user_id is 300 characters, more than 256");
        ClickEvent blankId = click("u1", "i1", 0, List.of());
        blankId.setEventId("");
        assertThat(validator.problem(blankId)).contains("event_id is empty");
    }

    @Test
    void anUnknownEventTypeDoesNotDecodeSoItBecomesADeadLetter() throws Exception {
        // A producer on a newer schema with a symbol this job does not know: plain binary carries
        // only the index.
        String json =
                ClickEvent.getClassSchema()
                        .toString()
                        .replace("\"PURCHASE\"", "\"PURCHASE\",\"HOVER\"");
        Schema newer = new Schema.Parser().parse(json);
        GenericRecord r = new GenericData.Record(newer);
        r.put("user_id", "u1");
        r.put("session_id", null);
        r.put("event_id", "e1");
        r.put("item_id", "i1");
        r.put(
                "event_type",
                new GenericData.EnumSymbol(newer.getField("event_type").schema(), "HOVER"));
        r.put("event_time", 1_700_000_000_000L);
        r.put("candidates", List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(newer).write(r, enc);
        enc.flush();

        assertThatThrownBy(() -> AvroCodec.of(ClickEvent.class).decode(bytes.toByteArray()))
                .isInstanceOf(IOException.class);
    }
}
