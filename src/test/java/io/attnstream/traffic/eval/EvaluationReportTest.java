package io.attnstream.traffic.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.traffic.SpeedMatrixFixtures;
import io.attnstream.traffic.data.SpeedMatrix;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {
    private static final Instant T0 = Instant.parse("2012-03-01T00:00:00Z");

    /**
     * 40 rows rising 1 mph per step; train = rows 0..29, test = rows 30..39, last value and a
     * perfect model.
     */
    private static EvaluationReport report() {
        SpeedMatrix all = SpeedMatrixFixtures.linearRise(40, 2, 30f);
        ForecastEvaluation.Split split = ForecastEvaluation.Split.chronological(all, 0.25);
        long testStart = T0.toEpochMilli() + split.testFromRow() * 300_000L;
        Map<String, ForecastEvaluation.BatchForecaster> models = new LinkedHashMap<>();
        models.put("last-value", ForecastEvaluation.LAST_VALUE);
        models.put(
                "historical-average", HistoricalAverage.fit(split.train(), T0.toEpochMilli(), 300));
        ForecastEvaluation.Result r =
                ForecastEvaluation.evaluate(
                        split.test(), testStart, 300, 2, new int[] {3, 6}, models);
        return new EvaluationReport(
                "data/speeds.csv",
                "data/speeds.csv",
                split.train().steps(),
                split.testFromRow(),
                all.steps(),
                all.sensors(),
                Instant.ofEpochMilli(testStart),
                r);
    }

    @Test
    void jsonRecordsDataSplitWindowsAndEveryModelsMetricsPerHorizon(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("report.json");

        report().writeJson(file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("data").asText()).isEqualTo("data/speeds.csv");
        assertThat(json.get("train_rows").asInt()).isEqualTo(30);
        assertThat(json.get("test_from_row").asInt()).isEqualTo(30);
        assertThat(json.get("test_to_row").asInt()).isEqualTo(40);
        assertThat(json.get("test_rows").asInt()).isEqualTo(10);
        assertThat(json.get("test_start").asText()).isEqualTo("2012-03-01T02:30:00Z");
        assertThat(json.get("step_seconds").asInt()).isEqualTo(300);
        assertThat(json.get("input_steps").asInt()).isEqualTo(2);
        assertThat(json.get("windows").asInt()).isEqualTo(10 - 2 - 6 + 1);
        JsonNode models = json.get("models");
        assertThat(models.fieldNames())
                .toIterable()
                .containsExactly("last-value", "historical-average");
        JsonNode lv15 = models.get("last-value").get("15min");
        assertThat(lv15.get("horizon_steps").asInt()).isEqualTo(3);
        assertThat(lv15.get("rmse").asDouble()).isCloseTo(Math.sqrt(14.0 / 3), within(1e-12));
        assertThat(lv15.get("mae").asDouble()).isEqualTo(2.0);
        assertThat(lv15.get("rmse_single_step").asDouble()).isEqualTo(3.0);
        assertThat(lv15.get("targets").asLong()).isEqualTo(3L * 3 * 2);
        assertThat(lv15.get("missing_targets").asLong()).isZero();
        assertThat(lv15.fieldNames()).toIterable().contains("mape", "accuracy");
        assertThat(models.get("historical-average").get("30min").get("horizon_steps").asInt())
                .isEqualTo(6);
    }

    @Test
    void undefinedMetricsAreNullInJsonBecauseJsonHasNoNaN() {
        ForecastEvaluation.Result empty =
                ForecastEvaluation.evaluate(
                        SpeedMatrixFixtures.linearRise(3, 1, 50f),
                        T0.toEpochMilli(),
                        300,
                        2,
                        new int[] {3},
                        Map.of("last-value", ForecastEvaluation.LAST_VALUE));
        EvaluationReport r = new EvaluationReport("d", "d", 0, 0, 3, 1, T0, empty);

        @SuppressWarnings("unchecked")
        Map<String, Object> lv =
                (Map<String, Object>)
                        ((Map<String, Object>) r.toJson().get("models")).get("last-value");

        assertThat(((Map<?, ?>) lv.get("15min")).get("rmse")).isNull();
    }

    @Test
    void tableHasOneAlignedRowPerModelAndHorizon() {
        StringWriter out = new StringWriter();

        report().printTable(new PrintWriter(out));

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(1 + 2 * 2);
        assertThat(lines.get(0))
                .startsWith("model")
                .contains("RMSE", "MAE", "MAPE%", "accuracy", "RMSE@h");
        assertThat(lines.get(1)).startsWith("last-value          15 min ");
        assertThat(lines.get(1).trim().split("\\s+"))
                .containsExactly(
                        "last-value",
                        "15",
                        "min",
                        "2.160",
                        "2.000",
                        lines.get(1).trim().split("\\s+")[5],
                        lines.get(1).trim().split("\\s+")[6],
                        "3.000");
        assertThat(lines.get(4)).startsWith("historical-average  30 min ");
        int width = lines.get(0).length();
        assertThat(lines).allSatisfy(l -> assertThat(l).hasSize(width));
        // the RMSE column ends where its header ends
        int rmseEnd = lines.get(0).indexOf("RMSE") + 4;
        assertThat(lines.get(1).substring(rmseEnd - 5, rmseEnd)).isEqualTo("2.160");
    }
}
