package io.attnstream.traffic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.cli.Main;
import io.attnstream.traffic.train.TrafficTrainingConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainTrafficCommandTest {
    private static TrainTrafficCommand parse(String... args) {
        TrainTrafficCommand command = new TrainTrafficCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void onlyTheRequiredOptionsTrainWithTheCodesDefaults() {
        assertThat(parse("--simulate", "20").config()).isEqualTo(TrafficTrainingConfig.defaults());
    }

    @Test
    void optionsReachTheConfig() {
        TrafficTrainingConfig c =
                parse(
                                "--simulate",
                                "20",
                                "--no-zero-is-missing",
                                "--horizon",
                                "3",
                                "--threads",
                                "2")
                        .config();

        assertThat(c.windows().zeroIsMissing()).isFalse();
        assertThat(c.windows().horizon()).isEqualTo(3);
        assertThat(c.threads()).isEqualTo(2);
    }

    @Test
    void helpShowsTheDefaultsReadFromTheConfig() {
        TrafficTrainingConfig defaults = TrafficTrainingConfig.defaults();
        // the help wraps its lines: compare its words
        String help =
                new CommandLine(new TrainTrafficCommand())
                        .getUsageMessage()
                        .replaceAll("\\s+", " ");

        assertThat(help)
                .contains(
                        "Adam learning rate (default: "
                                + defaults.optimization().learningRate()
                                + ")",
                        "Most epochs (default: " + defaults.stopping().maxEpochs() + ")",
                        "(default: " + defaults.threads() + ")");
    }

    @Test
    void anOutOfRangeSettingIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> parse("--simulate", "20", "--heads", "3").config())
                .isInstanceOf(Main.UsageException.class)
                .hasMessageContaining("the model size must be a positive multiple of the heads");
    }
}
