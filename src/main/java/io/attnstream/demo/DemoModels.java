package io.attnstream.demo;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.job.ClicksPipeline;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.clicks.sim.ClickstreamSimulator;
import io.attnstream.clicks.train.SequenceTrainer;
import io.attnstream.clicks.train.SequenceTrainingConfig;
import io.attnstream.clicks.train.SequenceTrainingProgress;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.traffic.job.TrafficPipeline;
import io.attnstream.traffic.model.TrafficPreprocessing;
import io.attnstream.traffic.sim.RoadNetworkSimulator;
import io.attnstream.traffic.train.TrafficTrainer;
import io.attnstream.traffic.train.TrafficTrainingConfig;
import io.attnstream.traffic.train.TrainingProgress;
import io.attnstream.video.job.VideoPipeline;
import io.attnstream.video.model.SegmentationModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * The models the demo runs: taken from the model store when one fits the demo's simulated network,
 * otherwise trained there on simulated data first (a small model, about a minute on two cores), so
 * a fresh clone's demo needs nothing but the jar. The demo's own model names keep it from picking
 * up, or overwriting, a production model of the same family.
 */
public final class DemoModels {
    public static final String TRAFFIC = "traffic-demo";
    public static final String CLICKS = "clicks-demo";
    public static final String VIDEO = "video-demo";

    /** The segmenter bundled in the jar (src/main/resources/demo-models). */
    static final String BUNDLED_VIDEO = "/demo-models/video-demo/1/";

    static final String BUNDLED_VIDEO_VERSION = "1";
    static final List<String> VIDEO_FILES = List.of("model.json", "video-demo-0000.params");

    /** Mean simulated events per user the clicks model trains on. */
    static final int CLICKS_EVENTS_PER_USER = 40;

    /** Simulated days to train on: two weeks cover every weekday twice. */
    static final int TRAFFIC_DAYS = 14;

    private DemoModels() {}

    /**
     * Points {@link TrafficPipeline#MODEL} at a traffic model for {@code sim}'s sensors, training
     * one if the store has none. Reproduce it by hand with {@code train traffic --simulate N --seed
     * S --days 14 --name traffic-demo}.
     */
    public static Path ensureTraffic(
            Configuration conf, RoadNetworkSimulator sim, long seed, PrintStream console) {
        ModelStore store = new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)));
        Path existing = fitting(store, sim);
        if (existing != null) {
            console.println(
                    "Model:     "
                            + existing.toAbsolutePath()
                            + " (traffic, "
                            + sim.sensors()
                            + " sensors)");
            conf.set(TrafficPipeline.MODEL, existing.toAbsolutePath().toString());
            return existing;
        }
        String version = store.nextVersion(TRAFFIC);
        Path dir = store.root().resolve(TRAFFIC).resolve(version);
        console.println(
                "Model:     no traffic model for the demo's "
                        + sim.sensors()
                        + "-sensor network under "
                        + store.root().toAbsolutePath()
                        + "; training "
                        + TRAFFIC
                        + "@"
                        + version
                        + " on "
                        + TRAFFIC_DAYS
                        + " simulated days (about a minute, once)");
        TrafficTrainingConfig config =
                TrafficTrainingConfig.builder()
                        .optMaxEpochs(12)
                        .optPatience(3)
                        .optMaxMinutes(1.0)
                        .optSeed(seed)
                        .optThreads(1)
                        .build();
        TrafficTrainer.TrainingResult r =
                new TrafficTrainer(
                                sim.simulate(TRAFFIC_DAYS * sim.stepsPerDay()),
                                sim.startEpochMillis(),
                                sim.stepSeconds(),
                                sim.adjacency().weights(),
                                config)
                        .train(dir, TRAFFIC, version, TrainingProgress.console(console));
        console.printf(
                "Model:     %s, validation RMSE %.2f mph vs last value %.2f%n",
                r.modelDir().toAbsolutePath(), r.bestValidationRmse(), r.lastValueRmse());
        conf.set(TrafficPipeline.MODEL, dir.toAbsolutePath().toString());
        return dir;
    }

    /**
     * Points {@link ClicksPipeline#MODEL} at a recommender for {@code shop}'s catalogue, training
     * one if the store has none (the paper's recipe on 500 simulated users; about half a minute).
     * Reproduce it by hand with {@code train clicks --simulate 500 --items 1000 --events-per-user
     * 40 --name clicks-demo}.
     */
    public static Path ensureClicks(
            Configuration conf, ClickstreamSimulator shop, long seed, PrintStream console) {
        ModelStore store = new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)));
        Path existing = fittingClicks(store, shop);
        if (existing != null) {
            console.println(
                    "Model:     "
                            + existing.toAbsolutePath()
                            + " (clicks, "
                            + shop.itemIds().size()
                            + " items)");
            conf.set(ClicksPipeline.MODEL, existing.toAbsolutePath().toString());
            return existing;
        }
        String version = store.nextVersion(CLICKS);
        Path dir = store.root().resolve(CLICKS).resolve(version);
        console.println(
                "Model:     no clicks model for the demo's shop under "
                        + store.root().toAbsolutePath()
                        + "; training "
                        + CLICKS
                        + "@"
                        + version
                        + " on its simulated users (about half a minute, once)");
        // the paper's recipe (BCE, 1e-3, L = 50, fixed rate) the demo has always trained with
        SequenceTrainingConfig config =
                SequenceTrainingConfig.builder()
                        .optMaxEpochs(60)
                        .optPatience(10)
                        .optMaxMinutes(0.5)
                        .optLearningRate(1e-3f)
                        .optLoss(SequenceLoss.BCE)
                        .optRateDecayPatience(0)
                        .optMaxLength(50)
                        .optSeed(seed)
                        .optValidationSeed(seed)
                        .optThreads(1)
                        .build();
        SequenceTrainer.TrainingResult r =
                new SequenceTrainer(shop.interactions(CLICKS_EVENTS_PER_USER).sequences(), config)
                        .train(dir, CLICKS, version, SequenceTrainingProgress.console(console));
        console.printf(
                "Model:     %s, validation HR@10 %.3f vs most popular %.3f%n",
                r.modelDir().toAbsolutePath(),
                r.bestValidation().hr(10),
                r.mostPopularValidation().hr(10));
        conf.set(ClicksPipeline.MODEL, dir.toAbsolutePath().toString());
        return dir;
    }

    /**
     * Points {@link VideoPipeline#MODEL} at a street-scene segmenter: the store's newest {@code
     * video-demo}, else the one bundled in the jar (see {@code demo-models/README.md} for the
     * command that made it), copied into the store. It is bundled rather than trained on first run
     * because PyTorch lets one model train per process at a time, and a third minute of training
     * would keep a fresh clone's demo from showing masks within two minutes.
     */
    public static Path ensureVideo(Configuration conf, PrintStream console) {
        ModelStore store = new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)));
        Path existing = fittingVideo(store);
        if (existing == null) {
            existing = store.root().resolve(VIDEO).resolve(BUNDLED_VIDEO_VERSION);
            install(BUNDLED_VIDEO, existing, VIDEO_FILES);
            console.println(
                    "Model:     "
                            + existing.toAbsolutePath()
                            + " (video, bundled: 96 generated street scenes)");
        } else {
            console.println("Model:     " + existing.toAbsolutePath() + " (video)");
        }
        conf.set(VideoPipeline.MODEL, existing.toAbsolutePath().toString());
        return existing;
    }

    /** Copies a bundled model directory out of the jar. */
    private static void install(String resource, Path dir, List<String> files) {
        try {
            Files.createDirectories(dir);
            for (String f : files) {
                try (InputStream in = DemoModels.class.getResourceAsStream(resource + f)) {
                    if (in == null) {
                        throw new AttnstreamException(
                                "the jar has no " + resource + f + "; rebuild it with mvn package");
                    }
                    Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new AttnstreamException(
                    "cannot install the demo's video model into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The newest stored demo segmenter, or null. */
    private static Path fittingVideo(ModelStore store) {
        if (!Files.isDirectory(store.root().resolve(VIDEO))) {
            return null;
        }
        try {
            Path dir = store.resolve(VIDEO);
            return SegmentationModels.KIND.equals(ModelStore.readSpec(dir).kind()) ? dir : null;
        } catch (AttnstreamException unusable) {
            return null;
        }
    }

    /**
     * The newest stored demo recommender whose vocabulary holds every item of the shop, or null.
     */
    private static Path fittingClicks(ModelStore store, ClickstreamSimulator shop) {
        if (!Files.isDirectory(store.root().resolve(CLICKS))) {
            return null;
        }
        try {
            Path dir = store.resolve(CLICKS);
            ItemVocabulary vocabulary =
                    SequencePreprocessing.of(ModelStore.readSpec(dir)).vocabulary();
            return shop.itemIds().stream()
                            .allMatch(i -> vocabulary.indexOf(i) != ItemVocabulary.UNKNOWN)
                    ? dir
                    : null;
        } catch (AttnstreamException unusable) {
            return null;
        }
    }

    /** The newest stored demo model whose sensors are the simulator's, or null. */
    private static Path fitting(ModelStore store, RoadNetworkSimulator sim) {
        if (!Files.isDirectory(store.root().resolve(TRAFFIC))) {
            return null;
        }
        try {
            Path dir = store.resolve(TRAFFIC);
            ModelSpec spec = ModelStore.readSpec(dir);
            return TrafficPreprocessing.of(spec).sensorIds().equals(sim.sensorIds()) ? dir : null;
        } catch (AttnstreamException unusable) {
            return null; // e.g. a half-written directory: train a new version beside it
        }
    }
}
