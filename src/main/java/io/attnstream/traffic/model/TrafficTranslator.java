package io.attnstream.traffic.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.attnstream.inference.BatchTranslator;
import io.attnstream.inference.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batches of network windows for the traffic forecaster. Each window is encoded by the model's own
 * {@link WindowEncoder} (normalisation, the missing-value rule and imputation, calendar features),
 * the same code that training and evaluation use, so the stream feeds the model exactly what it
 * learnt from. Each sensor's top-k attended sensors are taken on the model side, which avoids
 * copying the (B, N, N) spatial attention out of native memory.
 */
public final class TrafficTranslator implements BatchTranslator<TrafficWindow, TrafficPrediction> {
    private static final long serialVersionUID = 1L;

    private final float mean;
    private final float std;
    private final int inputSteps;
    private final int sensors;
    private final long stepSeconds;
    private final boolean zeroIsMissing;
    private final int topK;
    private transient WindowEncoder encoder;

    private TrafficTranslator(WindowEncoder e, int topK) {
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
        return new TrafficTranslator(model.encoder(), topK);
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
            if (w.sensors != sensors || w.steps() != inputSteps) {
                throw new IllegalArgumentException(
                        "window of network "
                                + w.networkId
                                + " is "
                                + w.steps()
                                + " x "
                                + w.sensors
                                + "; the model takes "
                                + inputSteps
                                + " x "
                                + sensors);
            }
            e.encodeInto(w.rows(), w.firstStepMillis(), arrays, b);
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
            p.imputed = e.imputedPerSensor(batch.get(b).rows());
            out.add(p);
        }
        return out;
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
}
