package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.testing.AffineModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchingRuntimeTest {
    private static final float NO_POISON = Float.NaN; // NaN == NaN is false: nothing is poison

    @TempDir Path root;

    @BeforeAll
    static void register() {
        AffineModels.register();
    }

    @BeforeEach
    void clearBatchLog() {
        AffineModels.Translator.BATCH_SIZES.clear();
    }

    private RuntimeSettings settings(int maxBatch, long maxWaitMillis, int workers) {
        return RuntimeSettings.defaults()
                .withBatching(maxBatch, Duration.ofMillis(maxWaitMillis))
                .withWorkers(workers);
    }

    @Test
    void batchesNeverExceedMaxSizeAndRequestsWaitAtMostMaxWaitPlusOneBatch() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 2f, 1f);
        long maxWaitMs = 20;
        long batchMs = 5;
        try (var rt =
                new BatchingRuntime<>(
                        "aff",
                        v1,
                        settings(8, maxWaitMs, 1),
                        new AffineModels.Translator(NO_POISON, batchMs))) {
            List<CompletableFuture<InferenceResult<Float>>> futures = new ArrayList<>();
            // Bursts larger than a batch, then trickles smaller than one: both limits get
            // exercised.
            for (int burst = 0; burst < 5; burst++) {
                for (int i = 0; i < 20; i++) {
                    futures.add(rt.submit((float) i));
                }
                Thread.sleep(40);
                futures.add(rt.submit(1f));
                Thread.sleep(60);
            }
            for (var f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(AffineModels.Translator.BATCH_SIZES).allMatch(n -> n <= 8).contains(8);
            // The lone requests ran alone after waiting out max-wait.
            assertThat(AffineModels.Translator.BATCH_SIZES).contains(1);
            long worstWaitMicros = rt.stats().queueWaitMicros.getStatistics().getMax();
            long worstBatchMicros = rt.stats().inferenceMicros.getStatistics().getMax();
            // A request waits for its batch to close (max-wait) and at most for one batch ahead of
            // it per batch-worth of requests queued before it: in these bursts, 20 requests = 3
            // batches.
            assertThat(worstWaitMicros)
                    .isLessThanOrEqualTo(maxWaitMs * 1000 + 3 * worstBatchMicros + 5_000);
            for (var f : futures) {
                assertThat(f.get().batchSize()).isBetween(1, 8);
            }
        }
    }

    @Test
    void aLoneRequestIsServedAfterMaxWaitNotLater() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 2f, 1f);
        try (var rt =
                new BatchingRuntime<>(
                        "aff",
                        v1,
                        settings(64, 30, 1),
                        new AffineModels.Translator(NO_POISON, 0))) {
            rt.submit(0f).get(5, TimeUnit.SECONDS); // warm-up
            long t0 = System.nanoTime();
            InferenceResult<Float> r = rt.submit(3f).get(5, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.output()).isEqualTo(7f);
            assertThat(r.batchSize()).isEqualTo(1);
            assertThat(tookMs).isBetween(25L, 500L);
            assertThat(r.queueWaitNanos() / 1_000_000).isBetween(25L, 200L);
        }
    }

    @Test
    void resultsGoBackToTheRequestThatAskedUnderFourConcurrentSubmitters() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 3f, 0.5f);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (var rt =
                new BatchingRuntime<>(
                        "aff", v1, settings(16, 2, 2), new AffineModels.Translator(NO_POISON, 0))) {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int subtask = t;
                checked.add(
                        pool.submit(
                                () -> {
                                    List<CompletableFuture<InferenceResult<Float>>> mine =
                                            new ArrayList<>();
                                    for (int i = 0; i < 500; i++) {
                                        mine.add(rt.submit(subtask * 1000f + i));
                                    }
                                    for (int i = 0; i < 500; i++) {
                                        float x = subtask * 1000f + i;
                                        assertThat(mine.get(i).get(20, TimeUnit.SECONDS).output())
                                                .isEqualTo(3f * x + 0.5f);
                                    }
                                    return mine.size();
                                }));
            }
            int total = 0;
            for (var f : checked) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(2000);
            assertThat(rt.stats().completed.get()).isEqualTo(2000);
            assertThat(rt.stats().batchSize.getStatistics().getMean())
                    .as("requests were batched")
                    .isGreaterThan(1.5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPoisonRequestFailsAloneAndTheRuntimeGoesOn() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        try (var rt =
                new BatchingRuntime<>(
                        "aff", v1, settings(32, 50, 1), new AffineModels.Translator(13f, 0))) {
            List<CompletableFuture<InferenceResult<Float>>> batch = new ArrayList<>();
            for (int i = 10; i < 20; i++) {
                batch.add(rt.submit((float) i)); // one batch, with 13 in it
            }
            for (int i = 0; i < 10; i++) {
                float x = 10 + i;
                if (x == 13f) {
                    assertThatThrownBy(() -> batch.get(3).get(5, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(InferenceException.class)
                            .hasMessageContaining("poison value 13.0")
                            .hasMessageContaining("aff@1");
                } else {
                    assertThat(batch.get(i).get(5, TimeUnit.SECONDS).output()).isEqualTo(x);
                }
            }
            assertThat(rt.submit(99f).get(5, TimeUnit.SECONDS).output()).isEqualTo(99f);
            assertThat(rt.stats().errors.get()).isEqualTo(1);
        }
    }

    @Test
    void hotSwapUnderLoadLosesNothingAndSwitchesVersionOncePerSubmitterOrder() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        Path v2 = AffineModels.write(root, "aff", "2", 2f, 0f);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (var rt =
                new BatchingRuntime<>(
                        "aff", v1, settings(8, 1, 2), new AffineModels.Translator(NO_POISON, 1))) {
            List<Future<List<InferenceResult<Float>>>> perKey = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int key = t;
                perKey.add(
                        pool.submit(
                                () -> {
                                    List<CompletableFuture<InferenceResult<Float>>> mine =
                                            new ArrayList<>();
                                    for (int i = 0; i < 300; i++) {
                                        mine.add(rt.submit(key * 1000f + i));
                                        if (i % 25 == 0) {
                                            Thread.sleep(2); // keep the load going for a while
                                        }
                                    }
                                    List<InferenceResult<Float>> out = new ArrayList<>();
                                    for (var f : mine) {
                                        out.add(f.get(30, TimeUnit.SECONDS));
                                    }
                                    return out;
                                }));
            }
            Thread.sleep(60);
            assertThat(rt.swap(v2, "2", null)).isTrue();
            for (int key = 0; key < 4; key++) {
                List<InferenceResult<Float>> results = perKey.get(key).get(60, TimeUnit.SECONDS);
                assertThat(results).hasSize(300);
                int switches = 0;
                for (int i = 0; i < results.size(); i++) {
                    InferenceResult<Float> r = results.get(i);
                    float x = key * 1000f + i;
                    float w = r.modelVersion().equals("1") ? 1f : 2f;
                    assertThat(r.output()).as("result %d of key %d", i, key).isEqualTo(w * x);
                    if (i > 0 && !r.modelVersion().equals(results.get(i - 1).modelVersion())) {
                        switches++;
                        assertThat(r.modelVersion()).isEqualTo("2");
                    }
                }
                assertThat(switches).as("version switches of key %d", key).isLessThanOrEqualTo(1);
            }
            assertThat(rt.currentSpec().version()).isEqualTo("2");
            assertThat(rt.stats().swaps.get()).isEqualTo(1);
            assertThat(rt.stats().completed.get()).isEqualTo(1200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void swapOnAnIdleRuntimeTakesEffectAtOnce() throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        Path v2 = AffineModels.write(root, "aff", "2", 2f, 0f);
        try (var rt =
                new BatchingRuntime<>(
                        "aff", v1, settings(8, 1, 2), new AffineModels.Translator(NO_POISON, 0))) {
            assertThat(rt.submit(1f).get(5, TimeUnit.SECONDS).modelVersion()).isEqualTo("1");
            Thread.sleep(200); // idle: the batcher is waiting for requests
            long t0 = System.nanoTime();
            assertThat(rt.swap(v2, "2", null)).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).as("swap ms").isLessThan(2_000);
            InferenceResult<Float> r = rt.submit(4f).get(5, TimeUnit.SECONDS);
            assertThat(r.modelVersion()).isEqualTo("2");
            assertThat(r.output()).isEqualTo(8f);
        }
    }

    @Test
    void aBadUpdateIsRejectedAndTheOldVersionKeepsServing(@TempDir Path other) throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f);
        Path v2 = AffineModels.write(root, "aff", "2", 2f, 0f);
        Path wrongModel = AffineModels.write(other, "other", "5", 1f, 0f);
        Files.write(v2.resolve("aff-0000.params"), new byte[] {9}, StandardOpenOption.APPEND);
        try (var rt =
                new BatchingRuntime<>(
                        "aff", v1, settings(8, 1, 1), new AffineModels.Translator(NO_POISON, 0))) {
            assertThatThrownBy(() -> rt.swap(v2, "2", null))
                    .isInstanceOf(AttnstreamException.class)
                    .hasMessageContaining("corrupt");
            assertThatThrownBy(() -> rt.swap(wrongModel, "5", null))
                    .hasMessageContaining("describes model 'other'");
            assertThatThrownBy(() -> rt.swap(root.resolve("aff/7"), "7", null))
                    .hasMessageContaining("has no model.json");
            Path v3 = AffineModels.write(root, "aff", "3", 3f, 0f);
            assertThatThrownBy(() -> rt.swap(v3, "4", null))
                    .hasMessageContaining("has version 3, the update announced 4");
            assertThatThrownBy(() -> rt.swap(v3, "3", "00ff"))
                    .hasMessageContaining("the update announced 00ff");
            Path rescaled = AffineModels.write(root, "aff", "6", 1f, 0f, Map.of("mean", 3.5));
            assertThatThrownBy(() -> rt.swap(rescaled, "6", null))
                    .as("inputs would be encoded for the old version")
                    .hasMessageContaining("preprocessing");
            InferenceResult<Float> r = rt.submit(5f).get(5, TimeUnit.SECONDS);
            assertThat(r.modelVersion()).isEqualTo("1");
            assertThat(r.output()).isEqualTo(5f);
            assertThat(rt.swap(v1, "1", null)).as("same version again is a no-op").isFalse();
        }
    }

    /**
     * Per-version translators: a version scales its inputs by its own preprocessing's "scale"
     * (think: its normalisation); versions must share the preprocessing's "width" (think: L).
     */
    record ScalingTranslators() implements TranslatorFactory<Float, Float> {
        @Override
        public BatchTranslator<Float, Float> forVersion(ModelSpec spec) {
            float scale = ((Number) spec.preprocessing().get("scale")).floatValue();
            AffineModels.Translator affine = new AffineModels.Translator(NO_POISON, 0);
            return new BatchTranslator<>() {
                @Override
                public NDList toTensors(NDManager manager, List<Float> batch) {
                    return affine.toTensors(manager, batch.stream().map(x -> x * scale).toList());
                }

                @Override
                public List<Float> fromTensors(NDList outputs, List<Float> batch) {
                    return affine.fromTensors(outputs, batch);
                }
            };
        }

        @Override
        public Object contract(ModelSpec spec) {
            return "width " + spec.preprocessing().get("width");
        }
    }

    @Test
    void aVersionWithOtherPreprocessingServesThroughItsOwnTranslatorAndAnotherContractIsRefused()
            throws Exception {
        Path v1 = AffineModels.write(root, "aff", "1", 1f, 0f, Map.of("scale", 1, "width", 4));
        Path v2 = AffineModels.write(root, "aff", "2", 1f, 0f, Map.of("scale", 10, "width", 4));
        Path v3 = AffineModels.write(root, "aff", "3", 1f, 0f, Map.of("scale", 10, "width", 8));
        try (var rt =
                new BatchingRuntime<>("aff", v1, settings(8, 1, 1), new ScalingTranslators())) {
            assertThat(rt.submit(5f).get(5, TimeUnit.SECONDS).output()).isEqualTo(5f);
            assertThat(rt.swap(v2, "2", null)).isTrue();
            InferenceResult<Float> r = rt.submit(5f).get(5, TimeUnit.SECONDS);
            assertThat(r.modelVersion()).isEqualTo("2");
            assertThat(r.output()).as("encoded by version 2's translator").isEqualTo(50f);
            assertThatThrownBy(() -> rt.swap(v3, "3", null))
                    .isInstanceOf(AttnstreamException.class)
                    .hasMessageEndingWith(
                            "model.json: width 8 differs from the served version's width 4; a job"
                                    + " serves versions of one contract, so start a new job for"
                                    + " this one");
            assertThat(rt.submit(5f).get(5, TimeUnit.SECONDS).modelVersion()).isEqualTo("2");
        }
    }

    @Test
    void aMissingModelFailsAtStartWithTheFileNamed() {
        assertThatThrownBy(
                        () ->
                                new BatchingRuntime<>(
                                        "aff",
                                        root.resolve("aff/1"),
                                        settings(8, 1, 1),
                                        new AffineModels.Translator(NO_POISON, 0)))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(root.resolve("aff/1").toString());
    }

    @Test
    void registrySharesOneRuntimePerModelAndClosesItWithTheLastUser() throws Exception {
        Path v1 = AffineModels.write(root, "shared", "1", 1f, 0f);
        var t = new AffineModels.Translator(NO_POISON, 0);
        BatchingRuntime<Float, Float> a =
                RuntimeRegistry.acquire("shared", v1, settings(8, 1, 1), t);
        BatchingRuntime<Float, Float> b =
                RuntimeRegistry.acquire("shared", v1, settings(8, 1, 1), t);
        assertThat(a).isSameAs(b);
        // An equal translator (same settings, another instance) shares it too; another translator
        // does not.
        var equal = new AffineModels.Translator(NO_POISON, 0);
        assertThat(RuntimeRegistry.acquire("shared", v1, settings(8, 1, 1), equal)).isSameAs(a);
        RuntimeRegistry.release("shared", equal);
        var slower = new AffineModels.Translator(NO_POISON, 1);
        BatchingRuntime<Float, Float> other =
                RuntimeRegistry.acquire("shared", v1, settings(8, 1, 1), slower);
        assertThat(other).isNotSameAs(a);
        assertThat(RuntimeRegistry.find("shared")).containsExactlyInAnyOrder(a, other);
        RuntimeRegistry.release("shared", slower);
        RuntimeRegistry.release("shared", t);
        assertThat(a.submit(2f).get(5, TimeUnit.SECONDS).output()).isEqualTo(2f);
        RuntimeRegistry.release("shared", t);
        assertThatThrownBy(() -> a.submit(2f).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InferenceException.class);
        BatchingRuntime<Float, Float> c =
                RuntimeRegistry.acquire("shared", v1, settings(8, 1, 1), t);
        assertThat(c).isNotSameAs(a);
        RuntimeRegistry.release("shared", t);
    }

    @Test
    void attentionEntropyIsZeroForOnePositionAndOneForUniform() {
        assertThat(RuntimeStats.normalisedEntropy(new float[] {0, 1, 0, 0})).isEqualTo(0.0);
        assertThat(RuntimeStats.normalisedEntropy(new float[] {0.25f, 0.25f, 0.25f, 0.25f}))
                .isCloseTo(1.0, Offset.offset(1e-6));
        assertThat(RuntimeStats.normalisedEntropy(new float[] {0, 0.5f, 0.5f}))
                .as("padding does not count")
                .isCloseTo(1.0, Offset.offset(1e-6));
        assertThat(RuntimeStats.normalisedEntropy(new float[] {0.7f, 0.1f, 0.1f, 0.1f}))
                .isBetween(0.6, 0.7);
    }
}
