package io.attnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.GpuEnvironment;
import io.attnstream.traffic.SpeedMatrixFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CliTest {

    /** What one CLI invocation printed and returned. */
    record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        /** The only line on stderr; fails unless there is exactly one. */
        String singleErrorLine() {
            assertThat(errLines()).as("stderr of a failed command").hasSize(1);
            return errLines().get(0);
        }
    }

    private static Run run(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void unknownOptionIsOneLineUsageError() {
        Run r = run("demo", "--bogus");

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .startsWith("attnstream: ")
                .contains("--bogus")
                .endsWith("(try 'attnstream demo --help')");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void negativeDemoDurationIsOneLineUsageError() {
        Run r = run("demo", "--duration", "-5");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo("attnstream: --duration must be a positive number of seconds");
    }

    @Test
    void missingModelIsOneClearLineBeforeAnythingRuns(@TempDir Path root) {
        Run r = run("run", "clicks", "--model", "nosuch@3", "-D", "attnstream.models.root=" + root);

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: model 'nosuch@3' not found: neither a directory with"
                                + " model.json nor a model under "
                                + root.toAbsolutePath());
    }

    @Test
    void attentionTopKBelongsToTheTrafficPipeline() {
        Run r = run("run", "clicks", "--attention-top-k", "3");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo("attnstream: --attention-top-k applies to the traffic pipeline only");
    }

    @Test
    void aModelOfTheWrongKindIsOneClearLine(@TempDir Path root) {
        Path seq =
                SequenceModels.writeUntrained(root.resolve("seq/1"), "seq", "1", 20, 5, 8, 2, 1, 1);
        Run r = run("run", "traffic", "--model", seq.toString());

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: "
                                + seq
                                + " holds a 'sequence-recommender' model;"
                                + " attnstream.traffic.model needs a 'traffic-forecaster' model");
    }

    @Test
    void benchRejectsABadBatchSizeInOneLine() {
        Run r = run("bench", "sequence", "--batch-sizes", "8,0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .startsWith(
                        "attnstream: --records, --warm-up-records, --users, --parallelism and batch"
                                + " sizes must be >= 1");
    }

    @Test
    void doctorWithoutAGpuSaysSoInOneLineNamingDriverAndNativesAndExitsOne() {
        assumeTrue(DjlEngine.pytorch().getGpuCount() == 0, "this machine has a GPU");

        Run r = run("doctor", "--device", "gpu");

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: no GPU visible to DJL for --device gpu:0: "
                                + GpuEnvironment.probe().whyNoGpu())
                .contains("driver")
                .contains("natives")
                .contains("docker/Dockerfile.gpu");
        assertThat(r.out())
                .contains("GPUs visible: 0")
                .contains("natives   libtorch ")
                .contains("driver    ")
                .as("nothing is planned or computed")
                .doesNotContain("device    ");
    }

    @Test
    void doctorOnTheCpuPlansTheConfiguredWorkersAndComputes() {
        Run r = run("doctor", "--device", "cpu", "-D", "attnstream.inference.workers=3");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines())
                .contains("device    cpu -> cpu(): 3 worker(s); test computation cpu() ok");
    }

    @Test
    void benchTrafficAndVideoRefuseADevice() {
        Run r = run("bench", "traffic", "--device", "gpu");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: --device is for bench sequence; bench traffic and video run on"
                                + " the CPU");
    }

    @Test
    void benchWithAProfileDirectoryThatCannotBeMadeIsOneLineBeforeAnythingRuns(@TempDir Path root)
            throws Exception {
        Path file = Files.writeString(root.resolve("a-file"), "");
        Run r =
                run(
                        "bench",
                        "sequence",
                        "--no-null-model",
                        "--profile",
                        file.resolve("profiles").toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.singleErrorLine())
                .startsWith("attnstream: --profile: cannot create " + file.resolve("profiles"));
    }

    @Test
    void benchVideoRejectsABadFrameSizeInOneLineBeforeAnythingRuns() {
        Run r = run("bench", "video", "--frame-size", "480by360");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo("attnstream: --frame-size must be WxH, e.g. 480x360, got '480by360'");

        Run rgb = run("bench", "video", "--encoding", "RGB8");
        assertThat(rgb.exitCode()).isEqualTo(2);
        assertThat(rgb.singleErrorLine()).endsWith("--encoding JPEG or PNG");
    }

    @Test
    void benchVideoWithAModelOfAnotherKindIsOneClearLine(@TempDir Path root) {
        Path seq =
                SequenceModels.writeUntrained(root.resolve("seq/1"), "seq", "1", 20, 5, 8, 2, 1, 1);
        Run r = run("bench", "video", "--model", seq.toString());

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: "
                                + seq
                                + " holds a 'sequence-recommender' model;"
                                + " bench video needs a 'video-segmenter' model");
    }

    @Test
    void unknownPipelineIsOneLineUsageErrorNamingTheAvailableOnes() {
        Run r = run("run", "nosuchpipeline");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: unknown pipeline 'nosuchpipeline'; available: traffic, clicks,"
                                + " video");
    }

    @Test
    void missingEvaluationDataIsOneLineUsageError() {
        Run r = run("evaluate", "last-value", "--data", "/nonexistent.csv");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo("attnstream: data file not found or unreadable: /nonexistent.csv");
    }

    @Test
    void unknownEvaluationModelIsOneLineUsageError() {
        Run r = run("evaluate", "transformer", "--data", "/nonexistent.csv");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: nothing named 'transformer' to evaluate in this build;"
                                + " available: traffic, clicks, video, last-value");
    }

    @Test
    void evaluateWithoutDataIsOneLineUsageError() {
        Run r = run("evaluate", "last-value");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: Missing required option: '--data=FILE' (try 'attnstream"
                                + " evaluate last-value --help')");
    }

    @Test
    void trainingAnUnknownModelIsOneLineUsageError() {
        Run r = run("train", "weather");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .startsWith("attnstream: Unmatched argument")
                .contains("'weather'");
    }

    @Test
    void trainTrafficNeedsDataOrSimulateInOneLine() {
        Run r = run("train", "traffic", "--epochs", "3");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .startsWith("attnstream: Error: Missing required argument")
                .contains("--data")
                .contains("--simulate");
    }

    @ParameterizedTest
    @CsvSource({"traffic, traffic-forecaster", "clicks, clicks-sasrec", "video, video-segmenter"})
    void trainingOverAnExistingVersionIsOneLineUsageError(
            String model, String defaultName, @TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve(defaultName + "/3"));
        Files.writeString(root.resolve(defaultName + "/3/model.json"), "{}");

        Run r = run("train", model, "--simulate", "20", "--out", root.toString(), "--version", "3");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: model "
                                + defaultName
                                + "@3 already exists in "
                                + root
                                + "; pick another --version");
    }

    @Test
    void trainingWithoutOutUsesTheConfiguredModelsRootAndTheGivenName(@TempDir Path root)
            throws IOException {
        Files.createDirectories(root.resolve("mine/7"));
        Files.writeString(root.resolve("mine/7/model.json"), "{}");

        Run r =
                run(
                        "train",
                        "clicks",
                        "--simulate",
                        "20",
                        "--name",
                        "mine",
                        "--version",
                        "7",
                        "-D",
                        "attnstream.models.root=" + root);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: model mine@7 already exists in "
                                + root
                                + "; pick another --version");
    }

    @Test
    void evaluateTrafficWithoutModelIsOneLineUsageError(@TempDir Path dir) throws Exception {
        Path csv =
                SpeedMatrixFixtures.writeCsv(
                        SpeedMatrixFixtures.linearRise(50, 2, 40f), dir.resolve("d.csv"));
        Run r = run("evaluate", "traffic", "--data", csv.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo(
                        "attnstream: evaluate traffic needs --model (or evaluate last-value for the"
                                + " baselines alone)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"traffic", "clicks", "video"})
    void zeroProduceDurationIsOneLineUsageError(String source) {
        Run r = run("produce", source, "--duration", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine()).isEqualTo("attnstream: --duration must be positive");
    }

    @Test
    void unknownProduceSourceIsOneLineUsageError() {
        Run r = run("produce", "weather");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine()).startsWith("attnstream: ").contains("weather");
    }

    @Test
    void helpListsEverySubcommandAndExitsZero() {
        Run r = run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        String commands = r.out().substring(r.out().indexOf("Commands:"));
        for (String sub : new String[] {"demo", "run", "train", "evaluate", "produce", "topics"}) {
            assertThat(commands)
                    .as("subcommand %s", sub)
                    .containsPattern("(?m)^\\s+" + sub + "\\s");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "train traffic",
                "train clicks",
                "train video",
                "produce video",
                "evaluate",
                "evaluate traffic",
                "evaluate clicks",
                "evaluate video",
                "evaluate last-value",
                "run"
            })
    void everySubcommandHasHelp(String command) {
        Run r = run((command + " --help").split(" "));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: attnstream " + command);
    }

    @Test
    void runHelpNamesEveryPipelineOfTheCatalogue() {
        Run r = run("run", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Pipeline to run: traffic, clicks, video.");
    }

    @Test
    void noArgumentsPrintsUsageAndExitsZero() {
        Run r = run();

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: attnstream").contains("Commands:");
    }

    @Test
    void evaluateLastValuePrintsHandComputedMetrics(@TempDir Path dir) throws IOException {
        // 26 steps, 2 sensors rising 1 mph per step, default 12 input steps, horizons 3/6/12:
        // 26 - 12 - 12 + 1 = 3 windows; at step k every forecast is k mph too low.
        // RMSE(h) = sqrt(sum k^2 / h): h=3 sqrt(14/3)=2.160, h=6 sqrt(91/6)=3.894, h=12
        // sqrt(650/12)=7.360
        // MAE(h) = (h+1)/2: 2.000, 3.500, 6.500; single-step RMSE at h = h.
        Path csv =
                SpeedMatrixFixtures.writeCsv(
                        SpeedMatrixFixtures.linearRise(26, 2, 40f), dir.resolve("speeds.csv"));

        Run r = run("evaluate", "last-value", "--data", csv.toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo(
                        "evaluate on speeds.csv: test rows 0..26 of 26 (from 2012-03-01T00:00:00Z),"
                                + " 2 sensors, input 12 steps, 3 windows, 0 training rows");
        assertThat(lines.get(1)).startsWith("historical-average: not scored");
        assertThat(metrics(lines, "last-value", "15 min"))
                .containsExactly("2.160", "2.000", "3.000");
        assertThat(metrics(lines, "last-value", "30 min"))
                .containsExactly("3.894", "3.500", "6.000");
        assertThat(metrics(lines, "last-value", "60 min"))
                .containsExactly("7.360", "6.500", "12.000");
    }

    @Test
    void evaluateAlsoScoresTheHistoricalAverageFittedOnTheRowsBeforeTheTestPart(@TempDir Path dir)
            throws IOException {
        // 100 rows rising 1 mph per step from 40; test = last 30 % = rows 70..99. Every training
        // time of day occurs once (100 rows < 1 day), and test times were never seen, so HA falls
        // back to each sensor's training mean: sensor 0: mean(40..109) = 74.5. The first window's
        // 15-min targets are rows 82..84 =
        // 122..124 for sensor 0.
        Path csv =
                SpeedMatrixFixtures.writeCsv(
                        SpeedMatrixFixtures.linearRise(100, 2, 40f), dir.resolve("speeds.csv"));

        Run r = run("evaluate", "last-value", "--data", csv.toString(), "--test-fraction", "0.3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0))
                .startsWith(
                        "evaluate on speeds.csv: test rows 70..100 of 100 (from"
                                + " 2012-03-01T05:50:00Z)")
                .endsWith("7 windows, 70 training rows");
        assertThat(metrics(lines, "last-value", "15 min"))
                .containsExactly("2.160", "2.000", "3.000");
        assertThat(lines).anyMatch(l -> l.startsWith("historical-average  15 min "));
        double haMae = Double.parseDouble(row(lines, "historical-average", "15 min")[1]);
        // window w (0..6), step k: truth 40 + 70 + w + 12 + k - 1 + 10 n vs. 74.5 + 10 n -> error
        // 46.5 + w + k
        double expected = 0;
        for (int w = 0; w < 7; w++) {
            for (int k = 1; k <= 3; k++) {
                expected += 46.5 + w + k;
            }
        }
        assertThat(haMae).isCloseTo(expected / 21, within(0.001));
    }

    @Test
    void evaluateWritesJsonReport(@TempDir Path dir) throws IOException {
        Path csv =
                SpeedMatrixFixtures.writeCsv(
                        SpeedMatrixFixtures.linearRise(40, 2, 40f), dir.resolve("speeds.csv"));
        Path json = dir.resolve("metrics.json");

        Run r =
                run(
                        "evaluate",
                        "last-value",
                        "--data",
                        csv.toString(),
                        "--test-fraction",
                        "0.65",
                        "--json",
                        json.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("test_rows").asInt()).isEqualTo(26);
        assertThat(report.get("test_from_row").asInt()).isEqualTo(14);
        assertThat(report.get("train_rows").asInt()).isEqualTo(14);
        assertThat(report.get("windows").asInt()).isEqualTo(3);
        JsonNode lv = report.get("models").get("last-value");
        assertThat(lv.get("15min").get("rmse").asDouble())
                .isCloseTo(Math.sqrt(14.0 / 3), within(1e-9));
        assertThat(lv.get("60min").get("rmse_single_step").asDouble()).isEqualTo(12.0);
        assertThat(report.get("models").has("historical-average")).isTrue();
    }

    @Test
    void evaluateWithASeparateTrainingFileContinuesItsClock(@TempDir Path dir) throws IOException {
        Path train =
                SpeedMatrixFixtures.writeCsv(
                        SpeedMatrixFixtures.linearRise(50, 2, 40f), dir.resolve("train.csv"));
        Path test =
                SpeedMatrixFixtures.writeCsv(
                        SpeedMatrixFixtures.linearRise(30, 2, 90f), dir.resolve("test.csv"));

        Run r =
                run(
                        "evaluate",
                        "last-value",
                        "--data",
                        test.toString(),
                        "--train",
                        train.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow())
                .contains("test rows 0..30 of 30 (from 2012-03-01T04:10:00Z)")
                .endsWith("50 training rows");
        assertThat(r.out()).contains("historical-average  60 min ");
    }

    /**
     * A file shorter than input + longest horizon (here 10 < 12 + 12 rows) yields no evaluation
     * window; the command then prints NaN for every metric and exits 0. Enable once EvaluateCommand
     * rejects it.
     */
    @Test
    void evaluateOnTooFewRowsIsOneLineUsageError(@TempDir Path dir) throws IOException {
        Path csv =
                SpeedMatrixFixtures.writeCsv(
                        SpeedMatrixFixtures.linearRise(10, 2, 40f), dir.resolve("short.csv"));

        Run r = run("evaluate", "last-value", "--data", csv.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine()).startsWith("attnstream: ").contains("24");
        assertThat(r.out()).doesNotContain("NaN");
    }

    /**
     * RMSE, MAE and single-step RMSE of a model's row for the given horizon label (MAPE and
     * accuracy skipped).
     */
    private static List<String> metrics(List<String> lines, String model, String horizon) {
        String[] cols = row(lines, model, horizon);
        return Arrays.asList(cols[0], cols[1], cols[4]);
    }

    /** The numbers of a model's row: RMSE, MAE, MAPE, accuracy, RMSE@h. */
    private static String[] row(List<String> lines, String model, String horizon) {
        String prefix = model + " ";
        String row =
                lines.stream()
                        .filter(
                                l ->
                                        l.startsWith(prefix)
                                                && l.substring(prefix.length())
                                                        .trim()
                                                        .startsWith(horizon + " "))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no row for "
                                                        + model
                                                        + " "
                                                        + horizon
                                                        + " in "
                                                        + lines));
        String[] cols = row.substring(row.indexOf(horizon) + horizon.length()).trim().split("\\s+");
        assertThat(cols).as("columns of %s", row).hasSize(5);
        return cols;
    }
}
