package io.attnstream.traffic.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {
    private static final String NL = System.lineSeparator();

    @Test
    void consoleCountsWindowsThenPrintsOneLinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainingProgress console =
                TrainingProgress.console(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        console.started(1200, 130, 9876);
        console.batch(1, 50, 5, 10, 0.4);
        console.epoch(new TrainingProgress.EpochSummary(1, 50, 0.4, 5.0, 3.0, 6.0, 2.0, true));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "training on 1200 windows, validating on 130, 9876 parameters"
                                + NL
                                + "\r"
                                + "epoch 1/50  train MAE 0.400  val RMSE 5.00 mph  val MAE 3.00 "
                                + " last-value RMSE 6.00  2.0 s  *"
                                + NL);
    }
}
