package io.attnstream.clicks.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SequenceTrainingProgressTest {
    private static final String NL = System.lineSeparator();

    @Test
    void consoleCountsUsersAndPrintsARateCutBeforeTheEpochLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SequenceTrainingProgress console =
                SequenceTrainingProgress.console(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        console.started(900, 100, 52000);
        console.rateCut(7, 0.0015f);
        console.epoch(
                new SequenceTrainingProgress.EpochSummary(
                        7, 50, 0.5, 0.61234, 0.39871, 4.12, false));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "training on 900 users, validating on 100, 52000 parameters"
                                + NL
                                + "\repoch 7: validation plateau, learning rate now 1.50e-03"
                                + NL
                                + "\r"
                                + "epoch 7/50  loss 0.5000  val HR@10 0.6123  NDCG@10 0.3987  4.1 s"
                                + NL);
    }
}
