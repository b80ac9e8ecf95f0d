package io.attnstream.platform;

import static io.attnstream.testing.TrafficFixtures.raw;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecodeFunctionTest {
    private OneInputStreamOperatorTestHarness<RawRecord, Sourced<TrafficReading>> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new DecodeFunction<>(
                                "traffic", TrafficReading.class, new TrafficReadingValidator()));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private List<DeadLetter> deadLetters() {
        var queue = harness.getSideOutput(DeadLetters.TAG);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void validRecordIsDecodedWithItsLineage() throws Exception {
        TrafficReading r = reading("s1", 0, 61.5f);
        harness.processElement(raw("traffic.readings", 1, 42, TrafficFixtures.bytes(r)), 0);

        List<Sourced<TrafficReading>> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value).isEqualTo(r);
        assertThat(out.get(0).lineage().getTopic()).isEqualTo("traffic.readings");
        assertThat(out.get(0).lineage().getPartition()).isEqualTo(1);
        assertThat(out.get(0).lineage().getOffset()).isEqualTo(42L);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void truncatedRecordGoesToDeadLettersWithReasonAndOffset() throws Exception {
        byte[] bad = TrafficFixtures.truncated(reading("s1", 0, 61.5f));
        harness.processElement(raw("traffic.readings", 0, 7, bad), 0);
        harness.processElement(
                raw("traffic.readings", 0, 8, TrafficFixtures.bytes(reading("s1", 1, 60f))), 0);

        assertThat(harness.extractOutputValues()).hasSize(1);
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(1);
        DeadLetter d = dead.get(0);
        assertThat(d.getStage()).isEqualTo(FailureStage.DECODE);
        assertThat(d.getReason()).startsWith("not a valid TrafficReading");
        assertThat(d.getJob()).isEqualTo("traffic");
        assertThat(d.getSourceTopic()).isEqualTo("traffic.readings");
        assertThat(d.getSourcePartition()).isZero();
        assertThat(d.getSourceOffset()).isEqualTo(7L);
        assertThat(d.getPayload().array()).isEqualTo(bad);
        assertThat(d.getKey().array()).isEqualTo("k".getBytes());
        assertThat(d.getSourceTimestamp()).isEqualTo(TrafficFixtures.T0);
    }

    @Test
    void outOfRangeSpeedGoesToDeadLettersAsValidationFailure() throws Exception {
        harness.processElement(
                raw("traffic.readings", 1, 3, TrafficFixtures.bytes(reading("s2", 0, 250f))), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        DeadLetter d = deadLetters().get(0);
        assertThat(d.getStage()).isEqualTo(FailureStage.VALIDATE);
        assertThat(d.getReason()).contains("speed_mph 250.0");
        assertThat(d.getSourceOffset()).isEqualTo(3L);
        assertThat(d.getErrorClass()).isNull();
    }

    @Test
    void nullPayloadIsADeadLetterNotAFailure() throws Exception {
        harness.processElement(raw("traffic.readings", 0, 11, null), 0);

        DeadLetter d = deadLetters().get(0);
        assertThat(d.getStage()).isEqualTo(FailureStage.DECODE);
        assertThat(d.getReason()).contains("null payload");
        assertThat(d.getPayload()).isNull();
    }

    @Test
    void validatorThatThrowsStillYieldsADeadLetter() throws Exception {
        RecordValidator<TrafficReading> broken =
                r -> {
                    throw new IllegalStateException("boom");
                };
        try (var h =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new DecodeFunction<>("traffic", TrafficReading.class, broken))) {
            h.processElement(raw("t", 0, 1, TrafficFixtures.bytes(reading("s", 0, 50f))), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(DeadLetters.TAG).peek().getValue().getReason())
                    .contains("boom");
        }
    }
}
