package io.attnstream.demo;

import io.attnstream.clicks.ClickstreamSimulator;
import io.attnstream.clicks.ItemVocabulary;
import io.attnstream.clicks.SequenceLoss;
import io.attnstream.pipeline.VideoPipeline;
import io.attnstream.video.Augmentation;
import io.attnstream.video.GeneratedScenes;
import io.attnstream.video.SegmentationClasses;
import io.attnstream.video.SegmentationModels;
import io.attnstream.video.SegmentationTrainer;
import io.attnstream.video.SegmentationTrainingProgress;
import io.attnstream.video.StreetSceneGenerator;
import io.attnstream.clicks.SequenceModels;
import io.attnstream.clicks.SequenceTrainer;
import io.attnstream.clicks.SequenceTrainingProgress;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.pipeline.ClicksPipeline;
import io.attnstream.pipeline.TrafficPipeline;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.traffic.RoadNetworkSimulator;
import io.attnstream.traffic.TrafficModels;
import io.attnstream.traffic.TrafficTrainer;
import io.attnstream.traffic.TrainingProgress;
import org.apache.flink.configuration.Configuration;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The models the demo runs: taken from the model store when one fits the demo's simulated network, otherwise
 * trained there on simulated data first (a small model, about a minute on two cores), so a fresh clone's demo
 * needs nothing but the jar. The demo's own model names keep it from picking up, or overwriting, a production
 * model of the same family.
 */
public final class DemoModels {
    public static final String TRAFFIC = "traffic-demo";
    public static final String CLICKS = "clicks-demo";
    public static final String VIDEO = "video-demo";
    /** The demo segmenter's input: small, so it trains in a minute and segments a frame in a few ms. */
    static final int VIDEO_WIDTH = 96;
    static final int VIDEO_HEIGHT = 72;
    /** Generated street scenes the demo segmenter trains on (validation: as many fifths, other streets). */
    static final int VIDEO_FRAMES = 96;
    /** Mean simulated events per user the clicks model trains on. */
    static final int CLICKS_EVENTS_PER_USER = 40;
    /** Simulated days to train on: two weeks cover every weekday twice. */
    static final int TRAFFIC_DAYS = 14;

    private DemoModels() {}

    /**
     * Points {@link TrafficPipeline#MODEL} at a traffic model for {@code sim}'s sensors, training one if the store
     * has none. Reproduce it by hand with {@code train traffic --simulate N --seed S --days 14 --name traffic-demo}.
     */
    public static Path ensureTraffic(Configuration conf, RoadNetworkSimulator sim, long seed, PrintStream console) {
        ModelStore store = new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)));
        Path existing = fitting(store, sim);
        if (existing != null) {
            console.println("Model:     " + existing.toAbsolutePath() + " (traffic, " + sim.sensors() + " sensors)");
            conf.set(TrafficPipeline.MODEL, existing.toAbsolutePath().toString());
            return existing;
        }
        String version = store.nextVersion(TRAFFIC);
        Path dir = store.root().resolve(TRAFFIC).resolve(version);
        console.println("Model:     no traffic model for the demo's " + sim.sensors() + "-sensor network under "
                + store.root().toAbsolutePath() + "; training " + TRAFFIC + "@" + version + " on "
                + TRAFFIC_DAYS + " simulated days (about a minute, once)");
        TrafficTrainer.TrainingConfig config = TrafficTrainer.TrainingConfig.defaults()
                .withEpochs(12, 3).withMaxMinutes(1.0).withSeed(seed).withThreads(1);
        TrafficTrainer.TrainingResult r = new TrafficTrainer(sim.simulate(TRAFFIC_DAYS * sim.stepsPerDay()),
                sim.startEpochMillis(), sim.stepSeconds(), sim.adjacency().weights(), config)
                .train(dir, TRAFFIC, version, TrainingProgress.console(console));
        console.printf("Model:     %s, validation RMSE %.2f mph vs last value %.2f%n", r.modelDir().toAbsolutePath(),
                r.bestValidationRmse(), r.lastValueRmse());
        conf.set(TrafficPipeline.MODEL, dir.toAbsolutePath().toString());
        return dir;
    }

    /**
     * Points {@link ClicksPipeline#MODEL} at a recommender for {@code shop}'s catalogue, training one if the store has
     * none (the paper's recipe on 500 simulated users; about half a minute). Reproduce it by hand with
     * {@code train clicks --simulate 500 --items 1000 --events-per-user 40 --name clicks-demo}.
     */
    public static Path ensureClicks(Configuration conf, ClickstreamSimulator shop, long seed, PrintStream console) {
        ModelStore store = new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)));
        Path existing = fittingClicks(store, shop);
        if (existing != null) {
            console.println("Model:     " + existing.toAbsolutePath() + " (clicks, " + shop.itemIds().size() + " items)");
            conf.set(ClicksPipeline.MODEL, existing.toAbsolutePath().toString());
            return existing;
        }
        String version = store.nextVersion(CLICKS);
        Path dir = store.root().resolve(CLICKS).resolve(version);
        console.println("Model:     no clicks model for the demo's shop under " + store.root().toAbsolutePath()
                + "; training " + CLICKS + "@" + version + " on its simulated users (about half a minute, once)");
        SequenceTrainer.TrainingConfig config = SequenceTrainer.TrainingConfig.defaults()
                .withEpochs(60, 10, 1).withLoss(SequenceLoss.SAMPLED_SOFTMAX, 256).withMaxMinutes(0.5)
                .withSeeds(seed, seed).withThreads(1);
        SequenceTrainer.TrainingResult r = new SequenceTrainer(shop.interactions(CLICKS_EVENTS_PER_USER).sequences(), config)
                .train(dir, CLICKS, version, SequenceTrainingProgress.console(console));
        console.printf("Model:     %s, validation HR@10 %.3f vs most popular %.3f%n", r.modelDir().toAbsolutePath(),
                r.bestValidation().hr(10), r.mostPopularValidation().hr(10));
        conf.set(ClicksPipeline.MODEL, dir.toAbsolutePath().toString());
        return dir;
    }

    /**
     * Points {@link VideoPipeline#MODEL} at a street-scene segmenter, training one on generated scenes if the store
     * has none (a minute on one thread). Reproduce it by hand with {@code train video --simulate 96 --width 96
     * --height 72 --max-minutes 1 --learning-rate 0.003 --no-class-weighting --name video-demo}.
     */
    public static Path ensureVideo(Configuration conf, long seed, PrintStream console) {
        ModelStore store = new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)));
        Path existing = fittingVideo(store);
        if (existing != null) {
            console.println("Model:     " + existing.toAbsolutePath() + " (video)");
            conf.set(VideoPipeline.MODEL, existing.toAbsolutePath().toString());
            return existing;
        }
        String version = store.nextVersion(VIDEO);
        Path dir = store.root().resolve(VIDEO).resolve(version);
        console.println("Model:     no video model for the demo under " + store.root().toAbsolutePath() + "; training "
                + VIDEO + "@" + version + " on " + VIDEO_FRAMES + " generated street scenes (about a minute, once)");
        StreetSceneGenerator generator = new StreetSceneGenerator(seed);
        SegmentationTrainer.TrainingConfig config = SegmentationTrainer.TrainingConfig.defaults()
                .withInputSize(VIDEO_WIDTH, VIDEO_HEIGHT).withMaxMinutes(1.0)
                .withOptimizer(4, 3e-3f, 1e-5f, 20, 0f, 1f)
                // unweighted: within a minute, weights for the rarest classes cost the common ones more than they gain
                .withAugmentation(new Augmentation(true, 1f, 1f, 0f, 0f, 0f), false)
                .withSeed(seed).withThreads(1);
        SegmentationTrainer.TrainingResult r = new SegmentationTrainer(
                GeneratedScenes.samples(generator, 0, VIDEO_FRAMES, VIDEO_WIDTH, VIDEO_HEIGHT),
                GeneratedScenes.samples(generator, 100_000, VIDEO_FRAMES / 5, VIDEO_WIDTH, VIDEO_HEIGHT),
                SegmentationClasses.camVid(), config)
                .withSource("generated street scenes (seed " + seed + ")")
                .train(dir, VIDEO, version, SegmentationTrainingProgress.console(console, false)); // no bar: trains beside the others
        console.printf("Model:     %s, validation mIoU %.3f, pixel accuracy %.3f%n", r.modelDir().toAbsolutePath(),
                r.bestValidation().metrics().meanIou(), r.bestValidation().metrics().pixelAccuracy());
        conf.set(VideoPipeline.MODEL, dir.toAbsolutePath().toString());
        return dir;
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

    /** The newest stored demo recommender whose vocabulary holds every item of the shop, or null. */
    private static Path fittingClicks(ModelStore store, ClickstreamSimulator shop) {
        if (!Files.isDirectory(store.root().resolve(CLICKS))) {
            return null;
        }
        try {
            Path dir = store.resolve(CLICKS);
            ItemVocabulary vocabulary = SequenceModels.vocabulary(ModelStore.readSpec(dir));
            return shop.itemIds().stream().allMatch(i -> vocabulary.indexOf(i) != ItemVocabulary.UNKNOWN) ? dir : null;
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
            return TrafficModels.sensorIds(spec).equals(sim.sensorIds()) ? dir : null;
        } catch (AttnstreamException unusable) {
            return null; // e.g. a half-written directory: train a new version beside it
        }
    }
}
