package io.attnstream.clicks.cli;

import io.attnstream.cli.CommonOptions;
import io.attnstream.cli.Main;
import io.attnstream.cli.ProduceDuration;
import io.attnstream.cli.ProducingRun;
import io.attnstream.clicks.data.Interactions;
import io.attnstream.clicks.sim.CandidateSampler;
import io.attnstream.clicks.sim.ClickEventStream;
import io.attnstream.clicks.sim.ClickFaults;
import io.attnstream.clicks.sim.ClickstreamSimulator;
import io.attnstream.platform.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code produce clicks}: the clickstream simulator, or a replay of an interaction file, with
 * faults on request.
 */
@Command(
        name = "clicks",
        mixinStandardHelpOptions = true,
        description =
                "Write ClickEvents to Kafka: the clickstream simulator, or a replay of an"
                    + " interaction file (user-item lines, CSV user,item,timestamp[,event], or the"
                    + " Diginetica views file).")
public final class ProduceClicksCommand implements Callable<Integer> {
    /** Interaction file layouts {@code --replay} reads. */
    public enum Format {
        user_item,
        csv,
        diginetica
    }

    @Option(
            names = "--replay",
            paramLabel = "FILE",
            description = "Replay this interaction file instead of simulating.")
    Path replay;

    @Option(
            names = "--format",
            defaultValue = "user_item",
            description =
                    "Layout of --replay: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--speedup",
            defaultValue = "1",
            description =
                    "Replay: event time runs this many times faster than real time; 0 = as fast as"
                            + " possible (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(
            names = "--rate",
            defaultValue = "200",
            description =
                    "Simulator: events per second; replay: a cap, 0 = none (default:"
                            + " ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--users",
            defaultValue = "1000",
            description = "Simulated users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
            names = "--items",
            defaultValue = "2000",
            description = "Simulated catalogue size (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(
            names = "--categories",
            defaultValue = "20",
            description = "Simulated item categories (default: ${DEFAULT-VALUE}).")
    int categories;

    @Option(
            names = "--candidate-rate",
            defaultValue = "0.1",
            description =
                    "Fraction of events carrying 5 candidate items to score (default:"
                            + " ${DEFAULT-VALUE}).")
    double candidateRate;

    @Option(
            names = "--duplicate-rate",
            defaultValue = "0",
            description =
                    "Fraction of events re-sent with the same event_id (default:"
                            + " ${DEFAULT-VALUE}).")
    double duplicateRate;

    @Option(
            names = "--unknown-type-rate",
            defaultValue = "0",
            description =
                    "Fraction of events with an event type this schema does not know (default:"
                            + " ${DEFAULT-VALUE}).")
    double unknownTypeRate;

    @Option(
            names = "--malformed-rate",
            defaultValue = "0",
            description =
                    "Fraction of events with an empty user or item id (default: ${DEFAULT-VALUE}).")
    double malformedRate;

    @Option(
            names = "--undecodable-rate",
            defaultValue = "0",
            description =
                    "Fraction of records that are not Avro at all (default: ${DEFAULT-VALUE}).")
    double undecodableRate;

    @Option(
            names = "--unknown-item-rate",
            defaultValue = "0",
            description =
                    "Fraction of events for items no model knows (valid; scored with the OOV index)"
                            + " (default: ${DEFAULT-VALUE}).")
    double unknownItemRate;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Random seed of the simulator, candidates and faults (default:"
                            + " ${DEFAULT-VALUE}).")
    long seed;

    @Mixin ProduceDuration duration;

    @Mixin CommonOptions common;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Long durationSeconds = duration.checkedSeconds();
        if (rate < 0 || speedup < 0 || users < 1 || items < 1 || categories < 1) {
            throw new Main.UsageException(
                    "--rate and --speedup must be >= 0; --users, --items, --categories >= 1");
        }
        if (replay == null && rate == 0) {
            throw new Main.UsageException("the simulator needs --rate > 0");
        }
        if (replay != null && !Files.isReadable(replay)) {
            throw new Main.UsageException("replay file not found or unreadable: " + replay);
        }
        ClickFaults faults;
        try {
            faults =
                    ClickFaults.builder()
                            .seed(seed)
                            .duplicates(duplicateRate)
                            .unknownEventType(unknownTypeRate)
                            .malformedIds(malformedRate)
                            .undecodable(undecodableRate)
                            .unknownItems(unknownItemRate)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        ProducingRun producing =
                ProducingRun.to(
                        common,
                        "clicks",
                        Topics.CLICKS_EVENTS,
                        replay != null ? rate : 0,
                        durationSeconds);
        ClickEventStream generator;
        if (replay != null) {
            Interactions data =
                    switch (format) {
                        case user_item -> Interactions.readUserItemLines(replay);
                        case csv -> Interactions.readCsv(replay);
                        case diginetica -> Interactions.readDiginetica(replay);
                    };
            generator =
                    ClickEventStream.replay(
                            data,
                            producing.topic(),
                            speedup,
                            faults,
                            CandidateSampler.of(data, candidateRate, seed));
        } else {
            ClickstreamSimulator sim;
            try {
                sim =
                        ClickstreamSimulator.builder()
                                .users(users)
                                .items(items)
                                .categories(categories)
                                .seed(seed)
                                .build();
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage());
            }
            generator =
                    ClickEventStream.simulated(
                            sim,
                            producing.topic(),
                            rate,
                            faults,
                            CandidateSampler.of(sim, candidateRate, seed));
        }
        producing.run(generator, faults::injected, spec.commandLine().getOut());
        return 0;
    }
}
