package io.attnstream.platform;

import static io.attnstream.testing.TrafficFixtures.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.job.TrafficReadingValidator;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * After the decoding source: values go on with their lineage and timestamp, dead letters to the
 * side output.
 */
class DeadLetterRouterTest {
    private final RecordDecoder<TrafficReading> decoder =
            new RecordDecoder<>("traffic", TrafficReading.class, new TrafficReadingValidator());

    @Test
    void validEnvelopesGoOnAndRejectedOnesBecomeDeadLetters() throws Exception {
        TrafficReading ok = reading("s1", 0, 61.5f);
        try (OneInputStreamOperatorTestHarness<Decoded<TrafficReading>, Sourced<TrafficReading>> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new DeadLetterRouter<>())) {
            h.processElement(
                    decoder.decode(
                            "traffic.readings", 1, 42, 1000, null, TrafficFixtures.bytes(ok)),
                    77);
            h.processElement(
                    decoder.decode("traffic.readings", 0, 7, 2000, null, new byte[] {1, 2, 3}),
                    2000);
            h.processElement(
                    decoder.decode(
                            "traffic.readings",
                            1,
                            43,
                            3000,
                            null,
                            TrafficFixtures.bytes(reading("s2", 0, -1f))),
                    3000);

            List<StreamRecord<? extends Sourced<TrafficReading>>> out =
                    h.extractOutputStreamRecords();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getValue().value).isEqualTo(ok);
            assertThat(out.get(0).getValue().offset).isEqualTo(42L);
            assertThat(out.get(0).getTimestamp())
                    .as("the timestamp the source assigned")
                    .isEqualTo(77L);

            List<DeadLetter> dead =
                    h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertThat(dead)
                    .extracting(DeadLetter::getStage)
                    .containsExactly(FailureStage.DECODE, FailureStage.VALIDATE);
            assertThat(dead).extracting(DeadLetter::getSourceOffset).containsExactly(7L, 43L);
        }
    }
}
