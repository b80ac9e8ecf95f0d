package io.attnstream.clicks.cli;

import io.attnstream.cli.InputFiles;
import io.attnstream.cli.Main;
import io.attnstream.cli.ModelUnderTest;
import io.attnstream.clicks.eval.RankingEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate clicks --model M}: each user's last item, ranked by the model and by the
 * most-popular baseline.
 */
@Command(
        name = "clicks",
        mixinStandardHelpOptions = true,
        description =
                "The sequential recommender on each user's last item (leave-one-out) against the"
                        + " most-popular baseline on the same candidates.")
public final class EvaluateClicksCommand implements Callable<Integer> {
    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "Interaction file (see --format).")
    Path data;

    @Option(
            names = "--protocol",
            defaultValue = "sampled-100",
            description =
                    "sampled-100 (the held-out item against 100 items the user never touched, fixed"
                            + " seed) or full (against all items) (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(
            names = "--format",
            defaultValue = "user_item",
            description =
                    "Layout of --data:" + " ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ProduceClicksCommand.Format format;

    @Mixin ModelUnderTest target;

    @Spec CommandLine.Model.CommandSpec spec;

    /**
     * Each user's last item against the model and the most-popular baseline, on the same
     * candidates.
     */
    @Override
    public Integer call() throws Exception {
        Path dir = target.directory("evaluate clicks");
        RankingEvaluation.Protocol p;
        try {
            p = RankingEvaluation.Protocol.parse(protocol);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        InputFiles.requireReadable(data);
        var interactions = TrainClicksCommand.read(data, format);
        long t0 = System.nanoTime();
        RankingEvaluation.Result r = RankingEvaluation.evaluate(interactions.sequences(), p, dir);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "evaluate %s on %s: each user's last item, %s, %.1f s%n",
                dir.getFileName(),
                data.getFileName(),
                p.label(),
                (System.nanoTime() - t0) / 1e9);
        r.printTable(out);
        out.flush();
        if (target.json() != null) {
            r.writeJson(target.json());
        }
        return 0;
    }
}
