package io.attnstream.traffic.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.attnstream.inference.BatchTranslator;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.TranslatorFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Batches of network windows for one traffic forecaster version. The window's sensors are the
 * aligner's columns, named by id; the translator picks the version's own N sensors out of them in
 * the version's order (a sensor the window lacks is missing throughout, and imputed; a sensor the
 * version does not know is left out and counted), then encodes with the version's own {@link
 * WindowEncoder} (normalisation, the missing-value rule and imputation, calendar features), the
 * same code that training and evaluation use, so the stream feeds the model exactly what it learnt
 * from. Each sensor's top-k attended sensors are taken on the model side, which avoids copying the
 * (B, N, N) spatial attention out of native memory.
 */
public final class TrafficTranslator implements BatchTranslator<TrafficWindow, TrafficPrediction> {
    private static final long serialVersionUID = 1L;

    private final String[] sensorIds;
    private final float mean;
    private final float std;
    private final int inputSteps;
    private final int sensors;
    private final long stepSeconds;
    private final boolean zeroIsMissing;
    private final int topK;
    private transient WindowEncoder encoder;
    private transient Set<String> known;

    private TrafficTranslator(List<String> sensorIds, WindowEncoder e, int topK) {
        this.sensorIds = sensorIds.toArray(new String[0]);
        this.mean = e.normalisation().mean();
        this.std = e.normalisation().std();
        this.inputSteps = e.inputSteps();
        this.sensors = e.sensors();
        this.stepSeconds = e.stepSeconds();
        this.zeroIsMissing = e.zeroIsMissing();
        this.topK = Math.min(topK, e.sensors());
    }

    /**
     * @param topK attended sensors kept per sensor (capped at N)
     */
    public static TrafficTranslator forModel(TrafficPreprocessing model, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }
        return new TrafficTranslator(model.sensorIds(), model.encoder(), topK);
    }

    /** The translators of a traffic job: per version its sensors and normalisation. */
    public static Factory factory(int topK) {
        return new Factory(topK);
    }

    /** As {@link #forModel(TrafficPreprocessing, int)}, reading the model.json. */
    public static TrafficTranslator forModel(ModelSpec spec, int topK) {
        return forModel(TrafficPreprocessing.of(spec), topK);
    }

    private WindowEncoder encoder() {
        if (encoder == null) { // transient: rebuilt after the translator travels to a TaskManager
            encoder =
                    new WindowEncoder(
                            new WindowEncoder.Normalisation(mean, std),
                            inputSteps,
                            sensors,
                            stepSeconds,
                            zeroIsMissing);
        }
        return encoder;
    }

    @Override
    public NDList toTensors(NDManager manager, List<TrafficWindow> batch) {
        WindowEncoder e = encoder();
        WindowEncoder.Encoded arrays = e.newBatch(batch.size());
        for (int b = 0; b < batch.size(); b++) {
            TrafficWindow w = batch.get(b);
            e.encodeInto(rows(w), w.firstStepMillis(), arrays, b);
        }
        return e.toTensors(manager, arrays, batch.size()); // (B, T, N), (B, T, N), (B, T, 2)
    }

    @Override
    public List<TrafficPrediction> fromTensors(NDList outputs, List<TrafficWindow> batch) {
        WindowEncoder e = encoder();
        NDArray forecast = outputs.get(0); // (B, H, N), normalised
        int horizon = (int) forecast.getShape().get(1);
        float[] z = forecast.toFloatArray();
        float[] temporal = outputs.get(1).toFloatArray(); // (B, N, T)
        NDList top =
                outputs.get(2).topK(topK, 2, true, true); // values (B, N, k), indices (B, N, k)
        float[] topWeights = top.get(0).toFloatArray();
        int[] topIndices = top.get(1).toType(DataType.INT32, false).toIntArray();

        List<TrafficPrediction> out = new ArrayList<>(batch.size());
        int hn = horizon * sensors;
        int nt = sensors * inputSteps;
        int nk = sensors * topK;
        for (int b = 0; b < batch.size(); b++) {
            TrafficPrediction p = new TrafficPrediction();
            p.horizon = horizon;
            p.sensors = sensors;
            p.steps = inputSteps;
            p.topK = topK;
            p.speeds = new float[hn];
            for (int i = 0; i < hn; i++) {
                p.speeds[i] = e.normalisation().denormalise(z[b * hn + i]);
            }
            p.temporal = Arrays.copyOfRange(temporal, b * nt, (b + 1) * nt);
            p.topSensors = Arrays.copyOfRange(topIndices, b * nk, (b + 1) * nk);
            p.topWeights = Arrays.copyOfRange(topWeights, b * nk, (b + 1) * nk);
            p.imputed = e.imputedPerSensor(rows(batch.get(b)));
            p.sensorIds = sensorIds;
            p.unknownSensors = unknownSensors(batch.get(b));
            out.add(p);
        }
        return out;
    }

    /**
     * The window as (T, N) rows of this version's sensors, in its order; NaN for a sensor the
     * window has no column for. A window without ids is in the version's order already (the
     * benchmark's and tests' windows).
     */
    float[][] rows(TrafficWindow w) {
        if (w.steps() != inputSteps) {
            throw new IllegalArgumentException(
                    "window of network "
                            + w.networkId
                            + " has "
                            + w.steps()
                            + " steps; the model takes "
                            + inputSteps);
        }
        if (w.sensorIds == null) {
            if (w.sensors != sensors) {
                throw new IllegalArgumentException(
                        "window of network "
                                + w.networkId
                                + " has "
                                + w.sensors
                                + " unnamed sensors; the model takes "
                                + sensors);
            }
            return w.rows();
        }
        Map<String, Integer> column = new HashMap<>(w.sensorIds.length * 2);
        for (int c = 0; c < w.sensorIds.length; c++) {
            column.put(w.sensorIds[c], c);
        }
        float[][] rows = new float[inputSteps][sensors];
        for (int n = 0; n < sensors; n++) {
            Integer c = column.get(sensorIds[n]);
            for (int t = 0; t < inputSteps; t++) {
                rows[t][n] = c == null ? Float.NaN : w.speeds[t * w.sensors + c];
            }
        }
        return rows;
    }

    /** Columns of the window that are not sensors of this version. */
    private int unknownSensors(TrafficWindow w) {
        if (w.sensorIds == null) {
            return 0;
        }
        int unknown = 0;
        for (String id : w.sensorIds) {
            unknown += known().contains(id) ? 0 : 1;
        }
        return unknown;
    }

    private Set<String> known() {
        if (known == null) {
            known = new HashSet<>(Arrays.asList(sensorIds));
        }
        return known;
    }

    /**
     * The network's temporal attention averaged over sensors (still a distribution over the T
     * steps), for the runtime's attention-entropy metric: a collapse to one step or to uniform
     * across the network shows there.
     */
    @Override
    public float[] attentionOf(TrafficPrediction p) {
        float[] mean = new float[p.steps];
        for (int n = 0; n < p.sensors; n++) {
            for (int t = 0; t < p.steps; t++) {
                mean[t] += p.temporal[n * p.steps + t] / p.sensors;
            }
        }
        return mean;
    }

    /**
     * Builds each version's translator from its model.json. Versions of one job must share T, H and
     * the step (the aligner's intervals and the published forecasts are built around them) and the
     * output tensors' names and ranks; the sensor set and the normalisation may change.
     */
    public record Factory(int topK) implements TranslatorFactory<TrafficWindow, TrafficPrediction> {
        public Factory {
            if (topK < 1) {
                throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
            }
        }

        @Override
        public TrafficTranslator forVersion(ModelSpec spec) {
            return forModel(TrafficPreprocessing.of(spec), topK);
        }

        @Override
        public Contract contract(ModelSpec spec) {
            TrafficPreprocessing p = TrafficPreprocessing.of(spec);
            return new Contract(
                    spec.kind(),
                    p.inputSteps(),
                    p.horizon(),
                    p.stepSeconds(),
                    spec.outputs().stream().map(t -> t.name() + "/" + t.shape().length).toList());
        }
    }

    /** What the versions of one traffic job share. */
    public record Contract(
            String kind, int inputSteps, int horizon, long stepSeconds, List<String> outputs) {
        @Override
        public String toString() {
            return "kind "
                    + kind
                    + ", T "
                    + inputSteps
                    + ", H "
                    + horizon
                    + ", step "
                    + stepSeconds
                    + " s, outputs "
                    + outputs;
        }
    }
}
