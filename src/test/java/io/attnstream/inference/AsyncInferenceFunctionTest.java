package io.attnstream.inference;

import io.attnstream.schema.FailureStage;
import io.attnstream.testing.AffineModels;
import org.apache.flink.api.common.typeutils.base.FloatSerializer;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The async inference function inside Flink's async operator (operator test harness). */
class AsyncInferenceFunctionTest {
    @BeforeAll
    static void register() {
        AffineModels.register();
    }

    private static OneInputStreamOperatorTestHarness<Float, Inference<Float, Float>> harness(
            Path model, long delayMillis, long timeoutMillis) throws Exception {
        RuntimeSettings d = RuntimeSettings.defaults();
        // The operator's timeout and the one the function reports are one setting, as in InferenceStage.score.
        RuntimeSettings s = new RuntimeSettings(8, Duration.ofMillis(2), d.workers(), d.queueCapacity(), d.device(),
                Duration.ofMillis(timeoutMillis), 16, d.intraOpThreads());
        AsyncInferenceFunction<Float, Float, Float> fn = new AsyncInferenceFunction<>("aff", model, s,
                new AffineModels.Translator(13f, delayMillis), x -> {
                    if (x < 0) {
                        throw new IllegalArgumentException("negative input " + x);
                    }
                    return x;
                });
        var h = new OneInputStreamOperatorTestHarness<>(
                new AsyncWaitOperatorFactory<>(fn, s.timeout().toMillis(), s.asyncCapacity(), AsyncDataStream.OutputMode.ORDERED),
                FloatSerializer.INSTANCE);
        h.open();
        return h;
    }

    @Test
    void resultsComeOutInInputOrderNamingTheModelVersion(@TempDir Path root) throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 2f, 1f);
        try (var h = harness(v1, 0, 10_000)) {
            for (float x : new float[] {1f, 2f, 3f}) {
                h.processElement(x, 0);
            }
            h.endInput();
            List<Inference<Float, Float>> out = h.extractOutputValues();
            assertThat(out).extracting(i -> i.input).containsExactly(1f, 2f, 3f);
            assertThat(out).extracting(i -> i.output).containsExactly(3f, 5f, 7f);
            assertThat(out).allSatisfy(i -> {
                assertThat(i.succeeded()).isTrue();
                assertThat(i.modelVersion).isEqualTo("1");
                assertThat(i.batchSize).isBetween(1, 3);
            });
        }
    }

    @Test
    void aSlowModelYieldsATimeoutFailureInsteadOfFailingTheJob(@TempDir Path root) throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        try (var h = harness(v1, 1_000, 100)) {
            h.processElement(4f, 0);
            h.setProcessingTime(101); // the operator's timeout timer fires
            h.endInput();
            Inference<Float, Float> i = h.extractOutputValues().get(0);
            assertThat(i.succeeded()).isFalse();
            assertThat(i.failureStage).isEqualTo(FailureStage.TIMEOUT);
            assertThat(i.failure).isEqualTo("no result from aff within 100 ms");
        }
    }

    @Test
    void poisonAndUnusableInputsBecomeFailuresWithTheirStage(@TempDir Path root) throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        try (var h = harness(v1, 0, 10_000)) {
            h.processElement(13f, 0); // the translator rejects it: INFERENCE
            h.processElement(-1f, 0); // the request builder rejects it: VALIDATE
            h.processElement(6f, 0);
            h.endInput();
            List<Inference<Float, Float>> out = h.extractOutputValues();
            assertThat(out.get(0).failureStage).isEqualTo(FailureStage.INFERENCE);
            assertThat(out.get(0).failure).contains("poison value 13.0");
            assertThat(out.get(1).failureStage).isEqualTo(FailureStage.VALIDATE);
            assertThat(out.get(1).failure).contains("negative input -1.0");
            assertThat(out.get(2).output).isEqualTo(6f);
        }
    }
}
