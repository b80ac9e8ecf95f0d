package io.attnstream.video.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.cli.Main;
import io.attnstream.video.train.Augmentation;
import io.attnstream.video.train.SegmentationTrainingConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainVideoCommandTest {
    private static TrainVideoCommand parse(String... args) {
        TrainVideoCommand command = new TrainVideoCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void onlyTheRequiredOptionsTrainWithTheCodesDefaults() {
        assertThat(parse("--simulate", "20").config())
                .isEqualTo(SegmentationTrainingConfig.defaults());
    }

    @Test
    void optionsReachTheConfig() {
        SegmentationTrainingConfig c =
                parse(
                                "--data",
                                "frames",
                                "--augment",
                                "full",
                                "--no-class-weighting",
                                "--width",
                                "96",
                                "--height",
                                "72",
                                "--threads",
                                "2")
                        .config();

        assertThat(c.input())
                .isEqualTo(new SegmentationTrainingConfig.Input(96, 72, Augmentation.full(), 0f));
        assertThat(c.threads()).isEqualTo(2);
        assertThat(parse("--simulate", "20", "--class-weighting").config().input())
                .isEqualTo(SegmentationTrainingConfig.defaults().input());
    }

    @Test
    void helpShowsTheDefaultsReadFromTheConfig() {
        SegmentationTrainingConfig defaults = SegmentationTrainingConfig.defaults();
        // the help wraps its lines: compare its words
        String help =
                new CommandLine(new TrainVideoCommand()).getUsageMessage().replaceAll("\\s+", " ");

        assertThat(help)
                .contains(
                        "Adam's peak learning rate (default: "
                                + defaults.optimization().learningRate()
                                + ")",
                        "Most epochs (default: " + defaults.stopping().maxEpochs() + ")",
                        "(default: " + defaults.input().width() + ")",
                        "(default: flip)",
                        "(default: " + defaults.threads() + ")");
    }

    @Test
    void anOutOfRangeSettingIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> parse("--simulate", "20", "--height", "180").config())
                .isInstanceOf(Main.UsageException.class)
                .hasMessage(
                        "the input size must be a multiple of 2^(stages-1) = 8 for 4 stages, got"
                                + " 240 x 180");
        assertThatThrownBy(() -> parse("--simulate", "20", "--batch-size", "0").config())
                .isInstanceOf(Main.UsageException.class)
                .hasMessage("batch size must be >= 1, got 0");
    }
}
