package io.attnstream.traffic.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.model.WindowEncoder.Encoded;
import io.attnstream.traffic.model.WindowEncoder.Forecast;
import io.attnstream.traffic.model.WindowEncoder.Normalisation;
import io.attnstream.traffic.model.WindowEncoder.TimedWindow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowEncoderTest {
    private static final float NAN = Float.NaN;

    /** mean 50, std 10: z = (mph - 50) / 10. */
    private static final Normalisation NORM = new Normalisation(50, 10);

    private static final long THURSDAY_MIDNIGHT =
            Instant.parse("2012-03-01T00:00:00Z").toEpochMilli();

    /** Sensors as columns: each argument is one sensor's T readings. */
    private static float[][] window(float[]... sensors) {
        float[][] w = new float[sensors[0].length][sensors.length];
        for (int n = 0; n < sensors.length; n++) {
            for (int t = 0; t < sensors[n].length; t++) {
                w[t][n] = sensors[n][t];
            }
        }
        return w;
    }

    /** Sensor n's T values out of a row-major (T, N) array. */
    private static float[] column(float[] flat, int n, int sensors) {
        float[] out = new float[flat.length / sensors];
        for (int t = 0; t < out.length; t++) {
            out[t] = flat[t * sensors + n];
        }
        return out;
    }

    @Test
    void missingReadingsCarryTheLastObservedValueForward() {
        WindowEncoder encoder = new WindowEncoder(NORM, 5, 1, 300, false);
        Encoded e = encoder.encode(window(new float[] {40, NAN, NAN, 60, NAN}), THURSDAY_MIDNIGHT);
        assertThat(e.speeds()).containsExactly(-1f, -1f, -1f, 1f, 1f);
        assertThat(e.observed()).containsExactly(1f, 0f, 0f, 1f, 0f);
    }

    @Test
    void missingReadingsBeforeTheFirstObservationTakeTheFirstLaterValue() {
        WindowEncoder encoder = new WindowEncoder(NORM, 5, 1, 300, false);
        Encoded e = encoder.encode(window(new float[] {NAN, NAN, 70, 30, NAN}), THURSDAY_MIDNIGHT);
        assertThat(e.speeds()).containsExactly(2f, 2f, 2f, -2f, -2f);
        assertThat(e.observed()).containsExactly(0f, 0f, 1f, 1f, 0f);
    }

    @Test
    void aSensorWithoutAnyReadingTakesTheMeanWhileOthersKeepTheirs() {
        WindowEncoder encoder = new WindowEncoder(NORM, 3, 2, 300, false);
        Encoded e =
                encoder.encode(
                        window(new float[] {NAN, NAN, NAN}, new float[] {55, 65, 45}),
                        THURSDAY_MIDNIGHT);
        assertThat(column(e.speeds(), 0, 2)).containsExactly(0f, 0f, 0f);
        assertThat(column(e.observed(), 0, 2)).containsExactly(0f, 0f, 0f);
        assertThat(column(e.speeds(), 1, 2)).containsExactly(0.5f, 1.5f, -0.5f);
        assertThat(column(e.observed(), 1, 2)).containsExactly(1f, 1f, 1f);
    }

    @Test
    void zeroIsMissingOnlyWhenTheDataSaysSo() {
        float[][] w = window(new float[] {60, 0, 40});
        WindowEncoder zeroMissing = new WindowEncoder(NORM, 3, 1, 300, true);
        assertThat(zeroMissing.encode(w, THURSDAY_MIDNIGHT).speeds()).containsExactly(1f, 1f, -1f);
        assertThat(zeroMissing.imputedPerSensor(w)).containsExactly(1);
        WindowEncoder zeroIsAReading = new WindowEncoder(NORM, 3, 1, 300, false);
        assertThat(zeroIsAReading.encode(w, THURSDAY_MIDNIGHT).speeds())
                .containsExactly(1f, -5f, -1f);
        assertThat(zeroIsAReading.imputedPerSensor(w)).containsExactly(0);
    }

    @Test
    void imputedPerSensorCountsTheMissingReadingsOfEachSensor() {
        WindowEncoder encoder = new WindowEncoder(NORM, 4, 3, 300, false);
        float[][] w =
                window(
                        new float[] {NAN, 1, NAN, NAN},
                        new float[] {1, 2, 3, 4},
                        new float[] {NAN, NAN, NAN, NAN});
        assertThat(encoder.imputedPerSensor(w)).containsExactly(3, 0, 4);
    }

    @Test
    void calendarIsUtcTimeOfDayAndMondayBasedDayOfWeekPerStep() {
        WindowEncoder encoder = new WindowEncoder(NORM, 3, 1, 300, false);
        // 2012-03-04 was a Sunday: 23:55 Sunday, then 00:00 and 00:05 Monday
        long sunday2355 = Instant.parse("2012-03-04T23:55:00Z").toEpochMilli();
        Encoded e = encoder.encode(window(new float[] {50, 50, 50}), sunday2355);
        assertThat(e.calendar()[0]).isCloseTo(1435f / 1440f, within(1e-6f));
        assertThat(e.calendar()[1]).isEqualTo(6f);
        assertThat(e.calendar()[2]).isEqualTo(0f);
        assertThat(e.calendar()[3]).isEqualTo(0f);
        assertThat(e.calendar()[4]).isCloseTo(5f / 1440f, within(1e-6f));
        assertThat(e.calendar()[5]).isEqualTo(0f);
        assertThat(WindowEncoder.dayOfWeek(THURSDAY_MIDNIGHT)).isEqualTo(3);
        assertThat(WindowEncoder.timeOfDay(THURSDAY_MIDNIGHT + 6 * 3_600_000L)).isEqualTo(0.25f);
    }

    @Test
    void normalisationFitsObservedValuesOnly() {
        float[][] rows = {{10, NAN}, {30, 0}};
        assertThat(Normalisation.fit(rows, true)).isEqualTo(new Normalisation(20, 10));
        Normalisation withZero = Normalisation.fit(rows, false); // 10, 30, 0: mean 40/3
        assertThat(withZero.mean()).isCloseTo(40f / 3, within(1e-5f));
        assertThat(Normalisation.fit(new float[][] {{5, 5}}, false))
                .as("constant series")
                .isEqualTo(new Normalisation(5, 1));
        assertThatThrownBy(() -> Normalisation.fit(new float[][] {{NAN}}, false))
                .hasMessage("no observed speed to normalise with");
        assertThat(NORM.denormalise(NORM.normalise(63f))).isEqualTo(63f);
    }

    @Test
    void windowsOfTheWrongShapeAreRejected() {
        WindowEncoder encoder = new WindowEncoder(NORM, 3, 2, 300, false);
        assertThatThrownBy(() -> encoder.encode(new float[2][2], 0))
                .hasMessage("a window must have 3 steps, got 2");
        assertThatThrownBy(() -> encoder.encode(new float[3][1], 0))
                .hasMessage("a window step must have 2 sensors, got 1");
    }

    @Test
    void batchedTensorsHoldEachWindowInItsRow() {
        WindowEncoder encoder = new WindowEncoder(NORM, 2, 2, 300, false);
        Encoded a = encoder.encode(new float[][] {{50, 60}, {NAN, 70}}, THURSDAY_MIDNIGHT);
        Encoded b =
                encoder.encode(new float[][] {{40, 30}, {20, 10}}, THURSDAY_MIDNIGHT + 86_400_000L);
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            NDList tensors = encoder.toTensors(manager, List.of(a, b));
            assertThat(tensors.getShapes())
                    .containsExactly(new Shape(2, 2, 2), new Shape(2, 2, 2), new Shape(2, 2, 2));
            assertThat(tensors.get(0).toFloatArray())
                    .containsExactly(0f, 1f, 0f, 2f, -1f, -2f, -3f, -4f);
            assertThat(tensors.get(1).toFloatArray())
                    .containsExactly(1f, 1f, 0f, 1f, 1f, 1f, 1f, 1f);
            assertThat(tensors.get(2).toFloatArray())
                    .containsExactly(0f, 3f, 300f / 86400, 3f, 0f, 4f, 300f / 86400, 4f);
        }
    }

    /**
     * The direct call denormalises the block's output and passes its attention through, window by
     * window.
     */
    @Test
    void forecastRunsTheModelDirectlyAndDenormalises(@TempDir Path root) {
        Path dir =
                TrafficModels.writeUntrained(root.resolve("m"), "traffic", "1", 4, 3, 2, 8, 2, 11);
        try (LoadedModel model = ModelStore.load(dir, Device.cpu());
                NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            WindowEncoder encoder = TrafficPreprocessing.of(model.spec()).encoder();
            assertThat(encoder.normalisation()).isEqualTo(new Normalisation(55, 12));
            List<TimedWindow> windows =
                    List.of(
                            new TimedWindow(
                                    new float[][] {
                                        {50, 60, NAN, 40}, {52, 61, NAN, 41}, {54, NAN, NAN, 42}
                                    },
                                    THURSDAY_MIDNIGHT),
                            new TimedWindow(
                                    new float[][] {
                                        {30, 31, 32, 33}, {34, 35, 36, 37}, {38, 39, 40, 41}
                                    },
                                    THURSDAY_MIDNIGHT + 300_000L));
            List<Forecast> forecasts = encoder.forecast(model.model(), windows);

            NDList direct =
                    model.model()
                            .getBlock()
                            .forward(
                                    new ParameterStore(manager, false),
                                    encoder.toTensors(
                                            manager,
                                            List.of(
                                                    encoder.encode(
                                                            windows.get(0).speeds(),
                                                            THURSDAY_MIDNIGHT),
                                                    encoder.encode(
                                                            windows.get(1).speeds(),
                                                            THURSDAY_MIDNIGHT + 300_000L))),
                                    false);
            float[] z = direct.get(0).toFloatArray(); // (2, H=2, N=4)
            float[] temporal = direct.get(1).toFloatArray(); // (2, 4, 3)
            float[] spatial = direct.get(2).toFloatArray(); // (2, 4, 4)
            assertThat(forecasts).hasSize(2);
            for (int b = 0; b < 2; b++) {
                Forecast f = forecasts.get(b);
                assertThat(f.speeds().length).isEqualTo(2);
                for (int h = 0; h < 2; h++) {
                    for (int n = 0; n < 4; n++) {
                        assertThat(f.speeds()[h][n])
                                .isCloseTo(z[(b * 2 + h) * 4 + n] * 12 + 55, within(1e-4f));
                    }
                }
                for (int n = 0; n < 4; n++) {
                    for (int t = 0; t < 3; t++) {
                        assertThat(f.temporalAttention()[n][t])
                                .isEqualTo(temporal[(b * 4 + n) * 3 + t]);
                    }
                    for (int m = 0; m < 4; m++) {
                        assertThat(f.spatialAttention()[n][m])
                                .isEqualTo(spatial[(b * 4 + n) * 4 + m]);
                    }
                }
            }
        }
    }

    @Test
    void specWithoutPreprocessingIsOneClearError(@TempDir Path root) {
        Path dir =
                TrafficModels.writeUntrained(root.resolve("m"), "traffic", "1", 2, 3, 2, 8, 2, 11);
        var spec = ModelStore.readSpec(dir);
        Map<String, Object> pre = new HashMap<>(spec.preprocessing());
        pre.remove(TrafficPreprocessing.STD);
        var broken =
                new ModelSpec(
                        spec.name(),
                        spec.version(),
                        spec.kind(),
                        spec.hyperParameters(),
                        spec.inputs(),
                        spec.outputs(),
                        pre,
                        spec.trainingData(),
                        spec.metrics(),
                        spec.parameters(),
                        spec.createdAt());
        assertThatThrownBy(() -> TrafficPreprocessing.of(broken).encoder())
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("model.json of traffic@1 lacks preprocessing.std");
    }
}
