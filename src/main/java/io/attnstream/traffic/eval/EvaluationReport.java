package io.attnstream.traffic.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attnstream.platform.AttnstreamException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation's outcome for people and machines: an aligned table (model x horizon: RMSE, MAE,
 * MAPE, accuracy and the single-step RMSE at the horizon) and a JSON document recording what was
 * scored on which rows.
 *
 * @param data the file the test part comes from
 * @param trainData where the training rows come from (the same file, or a separate one)
 * @param trainRows training rows available to fitted baselines (0 = none)
 * @param testFromRow first test row of {@code data}, inclusive
 * @param testToRow last test row of {@code data}, exclusive
 * @param testStart time of the first test row
 */
public record EvaluationReport(
        String data,
        String trainData,
        int trainRows,
        int testFromRow,
        int testToRow,
        int sensors,
        Instant testStart,
        ForecastEvaluation.Result result) {

    /** "15 min" for whole minutes, else "3 steps". */
    public String horizonLabel(int horizon) {
        int seconds = horizon * result.stepSeconds();
        return seconds % 60 == 0 ? (seconds / 60) + " min" : horizon + " steps";
    }

    /** The JSON key of a horizon: "15min", or "3steps". */
    public String horizonKey(int horizon) {
        return horizonLabel(horizon).replace(" ", "");
    }

    public void printTable(PrintWriter out) {
        int width =
                Math.max(
                        5,
                        result.metrics().keySet().stream()
                                .mapToInt(String::length)
                                .max()
                                .orElse(5));
        String header = "%-" + width + "s  %-8s %8s %8s %8s %9s %8s%n";
        String row = "%-" + width + "s  %-8s %8.3f %8.3f %8.2f %9.4f %8.3f%n";
        out.printf(
                Locale.ROOT,
                header,
                "model",
                "horizon",
                "RMSE",
                "MAE",
                "MAPE%",
                "accuracy",
                "RMSE@h");
        for (Map.Entry<String, List<ForecastMetrics>> e : result.metrics().entrySet()) {
            for (ForecastMetrics m : e.getValue()) {
                out.printf(
                        Locale.ROOT,
                        row,
                        e.getKey(),
                        horizonLabel(m.horizon()),
                        m.rmse(),
                        m.mae(),
                        m.mape(),
                        m.accuracy(),
                        m.singleStepRmse());
            }
        }
        out.flush();
    }

    /** The report as a JSON tree of maps and lists (NaN metrics become null: JSON has no NaN). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data);
        json.put("train_data", trainData);
        json.put("train_rows", trainRows);
        json.put("test_from_row", testFromRow);
        json.put("test_to_row", testToRow);
        json.put("test_rows", testToRow - testFromRow);
        json.put("test_start", testStart.toString());
        json.put("sensors", sensors);
        json.put("step_seconds", result.stepSeconds());
        json.put("input_steps", result.inputSteps());
        json.put("windows", result.windows());
        Map<String, Object> models = new LinkedHashMap<>();
        for (Map.Entry<String, List<ForecastMetrics>> e : result.metrics().entrySet()) {
            Map<String, Object> perHorizon = new LinkedHashMap<>();
            for (ForecastMetrics m : e.getValue()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("horizon_steps", m.horizon());
                v.put("rmse", finite(m.rmse()));
                v.put("mae", finite(m.mae()));
                v.put("mape", finite(m.mape()));
                v.put("accuracy", finite(m.accuracy()));
                v.put("rmse_single_step", finite(m.singleStepRmse()));
                v.put("targets", m.count());
                v.put("missing_targets", m.missingTargets());
                perHorizon.put(horizonKey(m.horizon()), v);
            }
            models.put(e.getKey(), perHorizon);
        }
        json.put("models", models);
        return json;
    }

    public void writeJson(Path file) {
        try {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(file.toFile(), toJson());
        } catch (IOException e) {
            throw new AttnstreamException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
