package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.attnstream.schema.FailureStage;
import io.attnstream.testing.AffineModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeutils.base.FloatSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two ways a job feeds the batching runtime, in Flink's operator test harness: {@link
 * BatchingInferenceOperator} (the default) and {@link AsyncInferenceFunction} inside Flink's async
 * operator.
 */
class InferenceOperatorTest {
    private static final float POISON = 13f;

    @TempDir Path root;

    @BeforeAll
    static void register() {
        AffineModels.register();
    }

    @BeforeEach
    void openGate() {
        Gated.gate = new CountDownLatch(0);
        AffineModels.Translator.BATCH_SIZES.clear();
    }

    private static RuntimeSettings settings(
            int maxBatch, int capacity, long timeoutMillis, RuntimeSettings.Operator op) {
        RuntimeSettings d = RuntimeSettings.defaults();
        return new RuntimeSettings(
                maxBatch,
                Duration.ofMillis(2),
                1,
                d.device(),
                Duration.ofMillis(timeoutMillis),
                capacity,
                d.intraOpThreads(),
                op);
    }

    private static ModelScoring<Float, Float, Float> scoring(
            Path model, RuntimeSettings s, BatchTranslator<Float, Float> t) {
        return new ModelScoring<>(
                "aff",
                model,
                s,
                t,
                x -> {
                    if (x < 0) {
                        throw new IllegalArgumentException("negative input " + x);
                    }
                    return x;
                });
    }

    private static OneInputStreamOperatorFactory<Float, Inference<Float, Float>> factory(
            ModelScoring<Float, Float, Float> sc) {
        RuntimeSettings s = sc.settings();
        return switch (s.operator()) {
            case BATCHING -> new BatchingInferenceOperatorFactory<>(sc);
            case ASYNC ->
                    new AsyncWaitOperatorFactory<>(
                            new AsyncInferenceFunction<>(sc),
                            s.timeout().toMillis(),
                            s.asyncCapacity(),
                            AsyncDataStream.OutputMode.ORDERED);
        };
    }

    private static OneInputStreamOperatorTestHarness<Float, Inference<Float, Float>> harness(
            ModelScoring<Float, Float, Float> sc) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(factory(sc), FloatSerializer.INSTANCE);
        h.open();
        return h;
    }

    private OneInputStreamOperatorTestHarness<Float, Inference<Float, Float>> harness(
            RuntimeSettings.Operator op, long delayMillis, long timeoutMillis) throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 2f, 1f);
        return harness(
                scoring(
                        v1,
                        settings(8, 16, timeoutMillis, op),
                        new AffineModels.Translator(POISON, delayMillis)));
    }

    /** Runs the mails waiting in the harness's mailbox (results of finished batches). */
    private static void runMails(OneInputStreamOperatorTestHarness<?, ?> h) throws Exception {
        TaskMailbox mailbox = h.getTaskMailbox();
        for (var mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY);
                mail.isPresent();
                mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)) {
            mail.get().run();
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeSettings.Operator.class)
    void resultsComeOutInInputOrderNamingTheModelVersion(RuntimeSettings.Operator op)
            throws Exception {
        try (var h = harness(op, 0, 10_000)) {
            for (float x : new float[] {1f, 2f, 3f}) {
                h.processElement(x, 0);
            }
            h.endInput();
            List<Inference<Float, Float>> out = h.extractOutputValues();
            assertThat(out).extracting(i -> i.input).containsExactly(1f, 2f, 3f);
            assertThat(out).extracting(i -> i.output).containsExactly(3f, 5f, 7f);
            assertThat(out)
                    .allSatisfy(
                            i -> {
                                assertThat(i.succeeded()).isTrue();
                                assertThat(i.modelVersion).isEqualTo("1");
                                assertThat(i.batchSize).isBetween(1, 3);
                            });
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeSettings.Operator.class)
    void aSlowModelYieldsATimeoutFailureInsteadOfFailingTheJob(RuntimeSettings.Operator op)
            throws Exception {
        try (var h = harness(op, 1_000, 100)) {
            h.processElement(4f, 0);
            h.setProcessingTime(2); // the batching operator's max-wait flush
            h.setProcessingTime(102); // the timeout
            h.endInput();
            Inference<Float, Float> i = h.extractOutputValues().get(0);
            assertThat(i.succeeded()).isFalse();
            assertThat(i.failureStage).isEqualTo(FailureStage.TIMEOUT);
            assertThat(i.failure).isEqualTo("no result from aff within 100 ms");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeSettings.Operator.class)
    void poisonAndUnusableInputsBecomeFailuresWithTheirStageInTheirPlace(
            RuntimeSettings.Operator op) throws Exception {
        try (var h = harness(op, 0, 10_000)) {
            h.processElement(POISON, 0); // the translator rejects it: INFERENCE
            h.processElement(-1f, 0); // the request builder rejects it: VALIDATE
            h.processElement(6f, 0);
            h.endInput();
            List<Inference<Float, Float>> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(0).failureStage).isEqualTo(FailureStage.INFERENCE);
            assertThat(out.get(0).failure).contains("poison value 13.0");
            assertThat(out.get(1).failureStage).isEqualTo(FailureStage.VALIDATE);
            assertThat(out.get(1).failure).contains("negative input -1.0");
            assertThat(out.get(2).output).isEqualTo(13f);
        }
    }

    @Test
    void recordsGoToTheRuntimeInMicroBatchesAndWatermarksWaitForTheRecordsBeforeThem()
            throws Exception {
        try (var h = harness(RuntimeSettings.Operator.BATCHING, 0, 10_000)) {
            for (int i = 0; i < 8; i++) {
                h.processElement((float) i, i); // 8 = max-batch-size: one group, flushed at once
            }
            h.processElement(8f, 8);
            h.processWatermark(new Watermark(8)); // closes the open micro-batch of one
            h.processElement(9f, 9);
            h.endInput();
            // One full group went at once; the runtime may score the two later groups of one
            // together.
            assertThat(AffineModels.Translator.BATCH_SIZES.get(0)).isEqualTo(8);
            assertThat(
                            AffineModels.Translator.BATCH_SIZES.stream()
                                    .mapToInt(Integer::intValue)
                                    .sum())
                    .isEqualTo(10);
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(11);
            assertThat(out.get(9)).isEqualTo(new Watermark(8));
            for (int i = 0; i < 10; i++) {
                @SuppressWarnings("unchecked")
                StreamRecord<Inference<Float, Float>> r =
                        (StreamRecord<Inference<Float, Float>>) out.get(i < 9 ? i : 10);
                assertThat(r.getValue().input).isEqualTo((float) i);
                assertThat(r.getTimestamp()).as("event time kept").isEqualTo(i);
            }
        }
    }

    @Test
    void aPartialMicroBatchIsSentAtMaxWait() throws Exception {
        try (var h = harness(RuntimeSettings.Operator.BATCHING, 0, 10_000)) {
            h.processElement(1f, 0);
            h.processElement(2f, 0);
            h.setProcessingTime(1);
            assertThat(AffineModels.Translator.BATCH_SIZES).isEmpty();
            h.setProcessingTime(2); // max-wait (2 ms) after the first record
            awaitOutputs(h, 2);
            assertThat(h.extractOutputValues()).extracting(i -> i.output).containsExactly(3f, 5f);
            assertThat(AffineModels.Translator.BATCH_SIZES).containsExactly(2);
        }
    }

    private static void awaitOutputs(OneInputStreamOperatorTestHarness<?, ?> h, int n)
            throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.extractOutputValues().size() < n && System.nanoTime() < until) {
            runMails(h);
            Thread.sleep(1);
        }
    }

    /**
     * The back-pressure contract: with {@code capacity} records held, the task thread waits in its
     * mailbox (where results arrive) and takes the next record as soon as a batch is emitted; it
     * never waits inside the runtime.
     */
    @Test
    void aFullOperatorWaitsForResultsInItsMailboxAndGoesOnWhenTheyArrive() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        Gated.gate = new CountDownLatch(1);
        var sc =
                scoring(v1, settings(4, 8, 60_000, RuntimeSettings.Operator.BATCHING), new Gated());
        AtomicInteger taken = new AtomicInteger();
        List<Float> outputs = new CopyOnWriteArrayList<>();
        // The harness's mailbox belongs to the thread that makes it: the "task" thread does
        // everything.
        Thread task =
                new Thread(
                        () -> {
                            try (var h = harness(sc)) {
                                for (int i = 0; i < 20; i++) {
                                    h.processElement((float) i, 0);
                                    taken.incrementAndGet();
                                }
                                h.endInput();
                                h.extractOutputValues().forEach(x -> outputs.add(x.output));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "task");
        task.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (taken.get() < 7 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Thread.sleep(200);
        // Capacity 8: the eighth record made the operator wait, in its mailbox, while the model
        // holds them all.
        assertThat(taken.get()).isEqualTo(7);
        assertThat(task.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        Gated.gate.countDown();
        task.join(10_000);
        assertThat(task.isAlive()).isFalse();
        assertThat(outputs).containsExactlyElementsOf(floats(20));
    }

    /**
     * {@code asyncInvoke} hands each record to the shared runtime without waiting, whatever the
     * runtime holds: here 2,000 requests from one task thread while the model completes none (the
     * runtime's old bounded queue held 1,024 and then parked the submitting task thread).
     */
    @Test
    void asyncInvokeNeverParksTheTaskThreadWhileTheModelHoldsEveryRequest() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        Gated.gate = new CountDownLatch(1);
        var sc =
                scoring(
                        v1,
                        settings(64, 4096, 60_000, RuntimeSettings.Operator.ASYNC),
                        new Gated());
        CountDownLatch submitted = new CountDownLatch(1);
        AtomicInteger outputs = new AtomicInteger();
        Thread task =
                new Thread(
                        () -> {
                            try (var h = harness(sc)) {
                                for (int i = 0; i < 2_000; i++) {
                                    h.processElement((float) i, 0);
                                }
                                submitted.countDown();
                                Gated.gate.await();
                                h.endInput();
                                outputs.set(h.extractOutputValues().size());
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "task");
        task.start();
        assertThat(submitted.await(20, TimeUnit.SECONDS))
                .as("the task thread got through 2,000 asyncInvoke calls while no result came back")
                .isTrue();
        assertThat(RuntimeRegistry.find("aff"))
                .singleElement()
                .satisfies(rt -> assertThat(rt.stats().completed.get()).isZero());
        Gated.gate.countDown();
        task.join(20_000);
        assertThat(outputs.get()).isEqualTo(2_000);
    }

    /**
     * A checkpoint taken while the model holds every in-flight record completes and keeps them all;
     * the restored operator scores them in order, so a failure loses nothing.
     */
    @Test
    void aCheckpointUnderFullLoadKeepsEveryHeldRecordAndTheRestoredOperatorScoresThem()
            throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        Gated.gate = new CountDownLatch(1);
        RuntimeSettings s = settings(4, 16, 60_000, RuntimeSettings.Operator.BATCHING);
        OperatorSubtaskState snapshot;
        try (var h = harness(scoring(v1, s, new Gated()))) {
            for (int i = 0; i < 10; i++) {
                h.processElement((float) i, i); // 8 submitted in two groups, 2 buffered
            }
            h.processWatermark(new Watermark(9)); // submits the last two, waits behind them
            h.processElement(10f, 10);
            snapshot = h.snapshot(1, 1);
            assertThat(h.getOutput()).isEmpty();
            Gated.gate.countDown();
        }
        try (var restored =
                new OneInputStreamOperatorTestHarness<>(
                        factory(scoring(v1, s, new AffineModels.Translator(POISON, 0))),
                        FloatSerializer.INSTANCE)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.endInput();
            List<Object> out = new ArrayList<>(restored.getOutput());
            assertThat(out).hasSize(12);
            assertThat(out.get(10)).isEqualTo(new Watermark(9));
            assertThat(restored.extractOutputValues())
                    .extracting(i -> i.output)
                    .containsExactlyElementsOf(floats(11));
        }
    }

    /**
     * A savepoint of a job that still scored with Flink's async operator restores into the batching
     * operator.
     */
    @Test
    void theStateOfFlinksAsyncOperatorRestoresIntoTheBatchingOperator() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        Gated.gate = new CountDownLatch(1);
        OperatorSubtaskState snapshot;
        var async = settings(4, 16, 60_000, RuntimeSettings.Operator.ASYNC);
        try (var h = harness(scoring(v1, async, new Gated()))) {
            for (int i = 0; i < 5; i++) {
                h.processElement((float) i, i);
            }
            snapshot = h.snapshot(1, 1);
            Gated.gate.countDown();
        }
        var batching = settings(4, 16, 60_000, RuntimeSettings.Operator.BATCHING);
        try (var restored =
                new OneInputStreamOperatorTestHarness<>(
                        factory(scoring(v1, batching, new AffineModels.Translator(POISON, 0))),
                        FloatSerializer.INSTANCE)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.endInput();
            assertThat(restored.extractOutputValues())
                    .extracting(i -> i.output)
                    .containsExactlyElementsOf(floats(5));
        }
    }

    private static List<Float> floats(int n) {
        List<Float> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((float) i);
        }
        return out;
    }

    /** The affine model's translator, holding every batch until the test opens {@link #gate}. */
    static final class Gated implements BatchTranslator<Float, Float> {
        private static final long serialVersionUID = 1L;
        static volatile CountDownLatch gate = new CountDownLatch(0);
        private final AffineModels.Translator inner =
                new AffineModels.Translator(Float.NaN, 0); // no poison

        @Override
        public NDList toTensors(NDManager manager, List<Float> batch) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.toTensors(manager, batch);
        }

        @Override
        public List<Float> fromTensors(NDList outputs, List<Float> batch) {
            return inner.fromTensors(outputs, batch);
        }
    }
}
