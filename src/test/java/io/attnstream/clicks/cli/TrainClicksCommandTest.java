package io.attnstream.clicks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.cli.Main;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.train.SequenceTrainingConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainClicksCommandTest {
    private static TrainClicksCommand parse(String... args) {
        TrainClicksCommand command = new TrainClicksCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void onlyTheRequiredOptionsTrainWithTheCodesDefaults() {
        assertThat(parse("--simulate", "20").config()).isEqualTo(SequenceTrainingConfig.defaults());
    }

    @Test
    void theNegativesFollowTheChosenLossUnlessGiven() {
        assertThat(parse("--simulate", "20", "--loss", "bce").config().optimization().negatives())
                .isEqualTo(SequenceTrainingConfig.BCE_NEGATIVES);
        assertThat(
                        parse("--simulate", "20", "--negatives", "16")
                                .config()
                                .optimization()
                                .negatives())
                .isEqualTo(16);
    }

    @Test
    void helpShowsTheDefaultsReadFromTheConfig() {
        SequenceTrainingConfig defaults = SequenceTrainingConfig.defaults();
        // the help wraps its lines: compare its words
        String help =
                new CommandLine(new TrainClicksCommand()).getUsageMessage().replaceAll("\\s+", " ");

        assertThat(help)
                .contains(
                        "(default: " + defaults.optimization().learningRate() + ")",
                        "(default: " + defaults.architecture().maxLength() + ")",
                        "(default: " + defaults.optimization().loss().label() + ")",
                        "per batch for sampled-softmax (default "
                                + SequenceTrainingConfig.SAMPLED_SOFTMAX_NEGATIVES);
        assertThat(defaults.optimization().loss()).isEqualTo(SequenceLoss.SAMPLED_SOFTMAX);
    }

    @Test
    void anOutOfRangeSettingIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> parse("--simulate", "20", "--heads", "3").config())
                .isInstanceOf(Main.UsageException.class)
                .hasMessageContaining("the model size a multiple of the heads");
    }
}
