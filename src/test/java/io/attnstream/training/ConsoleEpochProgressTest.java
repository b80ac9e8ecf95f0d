package io.attnstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleEpochProgressTest {
    private static final String NL = System.lineSeparator();

    private record Summary(int epoch) implements EpochProgress.Summary {
        @Override
        public String line() {
            return "epoch " + epoch + " done";
        }
    }

    private static final class Console extends ConsoleEpochProgress<Summary> {
        Console(PrintStream out, boolean bar) {
            super(out, bar, "things");
        }

        void note(String text) {
            printLine(text);
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private Console console(boolean bar) {
        return new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), bar);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void startedNamesWhatItCounts() {
        console(true).started(120, 30, 4567);

        assertThat(printed())
                .isEqualTo("training on 120 things, validating on 30, 4567 parameters" + NL);
    }

    @Test
    void epochLineOverwritesTheBarAndEndsTheLine() {
        Console console = console(true);

        console.batch(2, 5, 4, 4, 0.5);
        console.epoch(new Summary(2));

        // the finished bar (4 of 4 is always drawn), then the epoch line padded over its longer
        // text
        assertThat(printed())
                .matches("\repoch 2/5 \\[#{30}\\] 4/4  loss 0\\.5000\repoch 2 done {30,}\\R");
    }

    @Test
    void withoutABarOnlyPermanentLinesArePrinted() {
        Console console = console(false);

        console.batch(1, 5, 1, 4, 0.9);
        console.batch(1, 5, 4, 4, 0.7);
        console.epoch(new Summary(1));
        console.note("between epochs");

        assertThat(printed()).isEqualTo("\repoch 1 done" + NL + "\rbetween epochs" + NL);
    }
}
