package io.attnstream.traffic.eval;

import io.attnstream.inference.LoadedModel;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.model.TrafficPreprocessing;
import io.attnstream.traffic.model.WindowEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trained forecaster as an evaluation {@link ForecastEvaluation.BatchForecaster}: windows go
 * through the model's own {@link WindowEncoder} (the same code the stream and training use), many
 * per forward pass.
 */
public final class ModelForecaster implements ForecastEvaluation.BatchForecaster {
    private final LoadedModel model;
    private final WindowEncoder encoder;
    private final int modelHorizon;

    /**
     * @param dataSensorIds the evaluation data's columns; they must be the model's sensors in the
     *     model's order
     */
    public ModelForecaster(LoadedModel model, List<String> dataSensorIds) {
        this.model = model;
        TrafficPreprocessing preprocessing = TrafficPreprocessing.of(model.spec());
        this.encoder = preprocessing.encoder();
        this.modelHorizon = preprocessing.horizon();
        List<String> modelSensors = preprocessing.sensorIds();
        if (!modelSensors.equals(dataSensorIds)) {
            int i = 0;
            while (i < Math.min(modelSensors.size(), dataSensorIds.size())
                    && modelSensors.get(i).equals(dataSensorIds.get(i))) {
                i++;
            }
            throw new AttnstreamException(
                    "model "
                            + model.spec().ref()
                            + " forecasts "
                            + modelSensors.size()
                            + " sensors, the data has "
                            + dataSensorIds.size()
                            + " columns; they first differ at column "
                            + (i + 1)
                            + " ("
                            + (i < modelSensors.size() ? modelSensors.get(i) : "-")
                            + " vs "
                            + (i < dataSensorIds.size() ? dataSensorIds.get(i) : "-")
                            + ")");
        }
    }

    @Override
    public List<float[][]> forecastBatch(
            List<ForecastEvaluation.Window> windows, int stepSeconds, int horizon) {
        if (horizon > modelHorizon) {
            throw new AttnstreamException(
                    "model "
                            + model.spec().ref()
                            + " forecasts "
                            + modelHorizon
                            + " steps; the evaluation asks for "
                            + horizon);
        }
        if (stepSeconds != encoder.stepSeconds()) {
            throw new AttnstreamException(
                    "model "
                            + model.spec().ref()
                            + " was trained on "
                            + encoder.stepSeconds()
                            + " s steps; the data has "
                            + stepSeconds
                            + " s steps");
        }
        List<WindowEncoder.TimedWindow> timed = new ArrayList<>(windows.size());
        for (ForecastEvaluation.Window w : windows) {
            timed.add(new WindowEncoder.TimedWindow(w.speeds(), w.startMillis()));
        }
        List<float[][]> out = new ArrayList<>(windows.size());
        for (WindowEncoder.Forecast f : encoder.forecast(model.model(), timed)) {
            float[][] speeds = f.speeds(); // (H_model, N)
            out.add(horizon == speeds.length ? speeds : Arrays.copyOf(speeds, horizon));
        }
        return out;
    }
}
