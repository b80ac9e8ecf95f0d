package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.attnstream.inference.BatchTranslator;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.model.ImageTensors;
import io.attnstream.video.model.SegmentationModels;
import io.attnstream.video.model.SegmentationOutput;
import io.attnstream.video.model.SegmentationPreprocessing;
import io.attnstream.video.model.SegmentationRequest;
import io.attnstream.video.model.SegmentationTranslator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawCeilingTest {

    /** Passes batches through, noting each batch's size and how many results came back. */
    private static final class Recording
            implements BatchTranslator<SegmentationRequest, SegmentationOutput> {
        final BatchTranslator<SegmentationRequest, SegmentationOutput> inner;
        final List<int[]> batches = Collections.synchronizedList(new ArrayList<>());

        Recording(BatchTranslator<SegmentationRequest, SegmentationOutput> inner) {
            this.inner = inner;
        }

        @Override
        public NDList toTensors(NDManager manager, List<SegmentationRequest> batch) {
            return inner.toTensors(manager, batch);
        }

        @Override
        public List<SegmentationOutput> fromTensors(
                NDList outputs, List<SegmentationRequest> batch) {
            List<SegmentationOutput> out = inner.fromTensors(outputs, batch);
            batches.add(new int[] {batch.size(), out.size(), out.get(0).width, out.get(0).height});
            return out;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyLoopScoresWholeBatchesOfEachSizeAndTheBestRateCounts(@TempDir Path dir)
            throws Exception {
        Path modelDir =
                SegmentationModels.writeUntrained(
                        dir.resolve("seg"),
                        "seg",
                        "1",
                        SegmentationClasses.camVid(),
                        16,
                        8,
                        List.of(4, 8),
                        2,
                        7);
        ImageTensors.Normalisation norm =
                SegmentationPreprocessing.of(ModelStore.readSpec(modelDir)).normalisation();
        Recording translator = new Recording(new SegmentationTranslator(16, 8, norm, 11));
        RawCeiling.Settings settings =
                new RawCeiling.Settings(2, 0.2, 0, new int[] {1, 3}, "frames");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        RawCeiling.Result result;
        try (LoadedModel m = ModelStore.load(modelDir, Device.cpu())) {
            result =
                    new RawCeiling<>(
                                    m,
                                    translator,
                                    b ->
                                            Collections.nCopies(
                                                    b,
                                                    new SegmentationRequest(
                                                            new byte[16 * 8 * 3], 20, 10)),
                                    settings)
                            .run(new PrintStream(console, true, StandardCharsets.UTF_8));
        }

        // each size in turn, in whole batches, with masks at the requested size
        assertThat(translator.batches)
                .allSatisfy(
                        b -> {
                            assertThat(b[1]).isEqualTo(b[0]);
                            assertThat(b[2]).isEqualTo(20);
                            assertThat(b[3]).isEqualTo(10);
                        });
        assertThat(translator.batches).extracting(b -> b[0]).containsOnly(1, 3);
        assertThat(result.perBatchSize())
                .extracting(RawCeiling.BatchSizeResult::batchSize)
                .containsExactly(1, 3);
        // at least 2 warm-up calls per loop and size, then the timed ones
        for (RawCeiling.BatchSizeResult r : result.perBatchSize()) {
            long calls = translator.batches.stream().filter(b -> b[0] == r.batchSize()).count();
            assertThat(calls).isEqualTo(r.calls() + 2 * 2);
            assertThat(r.perSecond()).isPositive();
            assertThat(r.cpuMillisPerRequest()).isPositive();
            assertThat(r.batchMillisP50()).isPositive().isLessThanOrEqualTo(r.batchMillisP99());
        }
        double best =
                Math.max(
                        result.perBatchSize().get(0).perSecond(),
                        result.perBatchSize().get(1).perSecond());
        assertThat(result.perSecond()).isEqualTo(best);

        Map<String, Object> report = result.toReport();
        assertThat(report)
                .containsOnlyKeys(
                        "loops",
                        "best_batch_size",
                        "frames_per_second",
                        "cpu_ms_per_frame",
                        "context_switches_per_frame",
                        "per_batch_size",
                        "cpu_seconds_by_thread_group");
        assertThat(report.get("loops")).isEqualTo(2);
        assertThat(report.get("best_batch_size")).isEqualTo(result.best().batchSize());
        Map<String, Map<String, Object>> table =
                (Map<String, Map<String, Object>>) report.get("per_batch_size");
        assertThat(table).containsOnlyKeys("1", "3");
        assertThat(table.get("3"))
                .containsOnlyKeys(
                        "frames_per_second",
                        "calls",
                        "batch_ms_p50",
                        "batch_ms_p99",
                        "cpu_ms_per_frame",
                        "context_switches_per_frame");
        // counted from the loops' own threads (-1 only without /proc)
        assertThat((double) report.get("context_switches_per_frame")).isGreaterThanOrEqualTo(0);
        assertThat((Map<String, Double>) report.get("cpu_seconds_by_thread_group"))
                .containsKey("raw predictor loops (incl. PyTorch)");
        assertThat(console.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
    }

    @Test
    void settingsRejectWhatCannotBeMeasured() {
        assertThatThrownBy(() -> new RawCeiling.Settings(0, 1, 0, new int[] {1}, "frames"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawCeiling.Settings(1, 1, 0, new int[] {4, 0}, "frames"))
                .hasMessage("batch sizes must be >= 1, got 0");
        assertThatThrownBy(() -> new RawCeiling.Settings(1, 0, 0, new int[] {1}, "frames"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
