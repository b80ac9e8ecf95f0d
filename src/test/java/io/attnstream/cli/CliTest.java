package io.attnstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.traffic.SpeedMatrixFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        assertThat(r.singleErrorLine()).startsWith("attnstream: ").contains("--bogus")
                .endsWith("(try 'attnstream demo --help')");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void negativeDemoDurationIsOneLineUsageError() {
        Run r = run("demo", "--duration", "-5");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine()).isEqualTo("attnstream: --duration must be a positive number of seconds");
    }

    @Test
    void missingModelIsOneClearLineBeforeAnythingRuns(@TempDir Path root) {
        Run r = run("run", "clicks", "--model", "nosuch@3", "-D", "attnstream.models.root=" + root);

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.singleErrorLine()).isEqualTo("attnstream: model 'nosuch@3' not found: neither a directory with"
                + " model.json nor a model under " + root.toAbsolutePath());
    }

    @Test
    void modelOptionOnAPipelineWithoutAModelIsAUsageError() {
        Run r = run("run", "traffic", "--model", "x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine()).isEqualTo("attnstream: pipeline traffic takes no --model");
    }

    @Test
    void benchRejectsABadBatchSizeInOneLine() {
        Run r = run("bench", "sequence", "--batch-sizes", "8,0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine()).startsWith("attnstream: --records, --users, --parallelism and batch sizes must be >= 1");
    }

    @Test
    void unknownPipelineIsOneLineUsageErrorNamingTheAvailableOnes() {
        Run r = run("run", "nosuchpipeline");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo("attnstream: unknown pipeline 'nosuchpipeline'; available: traffic, clicks");
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
                .isEqualTo("attnstream: no model named 'transformer' to evaluate in this build; available: last-value");
    }

    @Test
    void evaluateWithoutDataIsOneLineUsageError() {
        Run r = run("evaluate", "last-value");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine())
                .isEqualTo("attnstream: Missing required option: '--data=CSV' (try 'attnstream evaluate --help')");
    }

    @Test
    void trainingAnUnknownModelIsOneLineUsageError() {
        Run r = run("train", "traffic");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine()).startsWith("attnstream: no trainable model named 'traffic'");
    }

    @Test
    void zeroProduceDurationIsOneLineUsageError() {
        Run r = run("produce", "traffic", "--duration", "0");

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
            assertThat(commands).as("subcommand %s", sub).containsPattern("(?m)^\\s+" + sub + "\\s");
        }
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
        // RMSE(h) = sqrt(sum k^2 / h): h=3 sqrt(14/3)=2.160, h=6 sqrt(91/6)=3.894, h=12 sqrt(650/12)=7.360
        // MAE(h) = (h+1)/2: 2.000, 3.500, 6.500; single-step RMSE at h = h.
        Path csv = SpeedMatrixFixtures.writeCsv(SpeedMatrixFixtures.linearRise(26, 2, 40f), dir.resolve("speeds.csv"));

        Run r = run("evaluate", "last-value", "--data", csv.toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("model last-value on speeds.csv: rows 0..26 of 26, 2 sensors, input 12 steps");
        assertThat(metrics(lines, "15 min")).containsExactly("2.160", "2.000", "3.000");
        assertThat(metrics(lines, "30 min")).containsExactly("3.894", "3.500", "6.000");
        assertThat(metrics(lines, "60 min")).containsExactly("7.360", "6.500", "12.000");
    }

    @Test
    void evaluateWritesJsonReport(@TempDir Path dir) throws IOException {
        Path csv = SpeedMatrixFixtures.writeCsv(SpeedMatrixFixtures.linearRise(26, 2, 40f), dir.resolve("speeds.csv"));
        Path json = dir.resolve("metrics.json");

        Run r = run("evaluate", "last-value", "--data", csv.toString(), "--json", json.toString());

        assertThat(r.exitCode()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("test_rows").asInt()).isEqualTo(26);
        assertThat(report.get("15min").get("rmse").asDouble()).isCloseTo(Math.sqrt(14.0 / 3), within(1e-9));
        assertThat(report.get("60min").get("rmse_single_step").asDouble()).isEqualTo(12.0);
    }

    /**
     * A file shorter than input + longest horizon (here 10 < 12 + 12 rows) yields no evaluation window; the command
     * then prints NaN for every metric and exits 0. Enable once EvaluateCommand rejects it.
     */
    @Test
    void evaluateOnTooFewRowsIsOneLineUsageError(@TempDir Path dir) throws IOException {
        Path csv = SpeedMatrixFixtures.writeCsv(SpeedMatrixFixtures.linearRise(10, 2, 40f), dir.resolve("short.csv"));

        Run r = run("evaluate", "last-value", "--data", csv.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.singleErrorLine()).startsWith("attnstream: ").contains("24");
        assertThat(r.out()).doesNotContain("NaN");
    }

    /** RMSE, MAE and single-step RMSE of the row for the given horizon label (accuracy skipped). */
    private static List<String> metrics(List<String> lines, String horizon) {
        String row = lines.stream().filter(l -> l.startsWith(horizon + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + horizon + " in " + lines));
        String[] cols = row.substring(horizon.length()).trim().split("\\s+");
        assertThat(cols).as("columns of %s", row).hasSize(4);
        return Arrays.asList(cols[0], cols[1], cols[3]);
    }
}
