package io.attnstream.demo;

import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
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
