package io.attnstream.traffic.train;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.model.WindowEncoder;

/**
 * The training run's windows: the matrix's chronological tail (the validation fraction) is held
 * out, the rest is the fit part, which alone sets the normalisation.
 *
 * @param fitRows rows [0, fitRows) are the fit part, the rest the validation tail
 */
record TrafficTrainingData(
        TrafficWindows fit,
        TrafficWindows validation,
        WindowEncoder.Normalisation normalisation,
        int fitRows,
        int validationRows) {

    /**
     * @throws AttnstreamException when the data is too short for a fit part and a validation tail,
     *     has no observed speed in the fit part, or no window with an observed target in a part
     */
    static TrafficTrainingData split(
            TrafficTrainingSource source, TrafficTrainingConfig.Windows windows) {
        SpeedMatrix data = source.data();
        int validationRows = (int) Math.round(data.steps() * windows.validationFraction());
        int fitRows = data.steps() - validationRows;
        int windowRows = windows.inputSteps() + windows.horizon();
        if (fitRows < windowRows || validationRows < windowRows) {
            throw new AttnstreamException(
                    source.name()
                            + " has "
                            + data.steps()
                            + " rows: with a validation tail of "
                            + validationRows
                            + " rows, both parts need at least T + H = "
                            + windowRows
                            + " rows");
        }
        SpeedMatrix fitPart = data.rows(0, fitRows);
        SpeedMatrix validationPart = data.rows(fitRows, data.steps());
        WindowEncoder.Normalisation normalisation;
        try {
            normalisation =
                    WindowEncoder.Normalisation.fit(fitPart.speeds(), windows.zeroIsMissing());
        } catch (IllegalArgumentException e) {
            throw new AttnstreamException(source.name() + ": the fit part has no observed speed");
        }
        WindowEncoder encoder =
                new WindowEncoder(
                        normalisation,
                        windows.inputSteps(),
                        data.sensors(),
                        source.stepSeconds(),
                        windows.zeroIsMissing());
        TrafficWindows fit =
                new TrafficWindows(fitPart, source.startEpochMillis(), encoder, windows.horizon());
        TrafficWindows validation =
                new TrafficWindows(
                        validationPart,
                        source.startEpochMillis() + fitRows * source.stepSeconds() * 1000L,
                        encoder,
                        windows.horizon());
        if (fit.size() == 0 || validation.size() == 0) {
            throw new AttnstreamException(
                    source.name()
                            + ": no window with an observed target in the "
                            + (fit.size() == 0 ? "fit part" : "validation tail"));
        }
        return new TrafficTrainingData(fit, validation, normalisation, fitRows, validationRows);
    }
}
