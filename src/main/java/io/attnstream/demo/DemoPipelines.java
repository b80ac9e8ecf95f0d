package io.attnstream.demo;

import io.attnstream.clicks.job.ClicksPipeline;
import io.attnstream.clicks.sim.CandidateSampler;
import io.attnstream.clicks.sim.ClickEventStream;
import io.attnstream.clicks.sim.ClickFaults;
import io.attnstream.clicks.sim.ClickstreamSimulator;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.traffic.job.TrafficPipeline;
import io.attnstream.traffic.sim.ReadingFaults;
import io.attnstream.traffic.sim.RoadNetworkSimulator;
import io.attnstream.traffic.sim.TrafficReadingStream;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.job.VideoPipeline;
import io.attnstream.video.sim.CameraFrameStream;
import io.attnstream.video.sim.FrameFaults;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pipelines {@code demo} runs, each with its simulator and output observers. */
public final class DemoPipelines {
    /**
     * Simulated time runs this much faster than real time in the demo: a five-minute interval every
     * second, so the first forecasts (after T = 12 intervals of warm-up) appear within seconds.
     */
    public static final double TRAFFIC_SPEEDUP = 300;

    private DemoPipelines() {}

    /**
     * The demo's road network: the simulator the traffic producer runs and its model is trained on.
     */
    public static RoadNetworkSimulator trafficNetwork(int sensors, long seed) {
        return RoadNetworkSimulator.builder().sensors(sensors).seed(seed).build();
    }

    /**
     * @param invalidEvery every n-th reading on average is invalid (cycling through the kinds); 0 =
     *     none. A few late and out-of-order readings are mixed in as well, to show where they go.
     */
    public static List<DemoPipeline> all(Topics topics, int sensors, long invalidEvery, long seed) {
        return all(topics, sensors, 100, invalidEvery, seed);
    }

    /**
     * @param clicksPerSecond rate of the simulated shop's events
     */
    public static List<DemoPipeline> all(
            Topics topics, int sensors, double clicksPerSecond, long invalidEvery, long seed) {
        return all(topics, sensors, clicksPerSecond, invalidEvery, seed, null);
    }

    /**
     * @param outDir where the video pipeline's overlay pictures go; null for none
     */
    public static List<DemoPipeline> all(
            Topics topics,
            int sensors,
            double clicksPerSecond,
            long invalidEvery,
            long seed,
            Path outDir) {
        return List.of(
                traffic(topics, sensors, invalidEvery, seed),
                clicks(topics, clicksPerSecond, invalidEvery, seed),
                video(topics, invalidEvery, seed, outDir));
    }

    /**
     * Cameras the demo's video feed has, their frame size and rate. The rate is what a 2-core
     * machine sustains with headroom next to the other pipelines: a frame costs ~50 CPU ms in the
     * bundled model and ~60 CPU ms in the whole video job ({@code bench video --model
     * models/video-demo/1 --frame-size 320x240 --cameras 2}), plus its rendering in the producer;
     * at 4 frames/s per camera the demo kept both cores busy, the video job fell behind whenever
     * the machine was shared and its back-pressure slowed every pipeline's checkpoints.
     */
    static final int CAMERAS = 2;

    static final int FRAME_WIDTH = 320;
    static final int FRAME_HEIGHT = 240;
    static final double FRAMES_PER_SECOND = 2;

    /** How often each camera's overlay picture is replaced. */
    static final Duration OVERLAY_EVERY = Duration.ofSeconds(3);

    static DemoPipeline video(Topics topics, long invalidEvery, long seed, Path outDir) {
        String in = topics.name(Topics.VIDEO_FRAMES);
        AvroCodec<SegmentationResult> codec = AvroCodec.of(SegmentationResult.class);
        // Latency of a mask counts from its frame's capture time (the generator stamps the wall
        // clock).
        OutputMonitor.Observer segments =
                bytes -> {
                    try {
                        SegmentationResult r = codec.decode(bytes);
                        return new OutputMonitor.Observation(
                                r.getEventTime().toEpochMilli(),
                                r.getModelName() + "@" + r.getModelVersion());
                    } catch (IOException e) {
                        return null;
                    }
                };
        // frames are few (4/s), so bad ones come ten times more often than other records, to show
        // up at all
        double bad = invalidEvery > 0 ? Math.min(0.2, 10.0 / invalidEvery) : 0;
        FrameFaults faults =
                FrameFaults.builder()
                        .seed(seed)
                        .oversizeHeader(bad / 4)
                        .truncated(bad / 4)
                        .wrongEncoding(bad / 4)
                        .undecodable(bad / 4)
                        .build();
        StreetSceneGenerator generator = new StreetSceneGenerator(seed);
        CameraFrameStream frames =
                CameraFrameStream.generated(
                        generator,
                        CAMERAS,
                        FRAME_WIDTH,
                        FRAME_HEIGHT,
                        FrameEncoding.JPEG,
                        in,
                        FRAMES_PER_SECOND,
                        faults);
        Map<String, OutputMonitor.Observer> outputs =
                new LinkedHashMap<>(); // the first is the pipeline's output
        if (outDir == null) {
            outputs.put(topics.name(Topics.VIDEO_SEGMENTS), segments);
        } else {
            OverlayWriter overlays =
                    new OverlayWriter(
                            outDir.resolve("overlays"),
                            generator,
                            SegmentationClasses.camVid(),
                            OVERLAY_EVERY);
            outputs.put(
                    topics.name(Topics.VIDEO_SEGMENTS),
                    bytes -> {
                        overlays.segments(bytes);
                        return segments.observe(bytes);
                    });
            outputs.put(topics.name(Topics.VIDEO_ATTENTION), overlays::attention);
        }
        return new DemoPipeline(new VideoPipeline(), in, frames, outputs);
    }

    /** The demo's shop: the simulator the clicks producer runs and its model is trained on. */
    public static ClickstreamSimulator shop(long seed) {
        return ClickstreamSimulator.builder()
                .users(500)
                .items(1000)
                .categories(20)
                .seed(seed)
                .build();
    }

    static DemoPipeline clicks(
            Topics topics, double clicksPerSecond, long invalidEvery, long seed) {
        String in = topics.name(Topics.CLICKS_EVENTS);
        AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
        // Latency of a recommendation counts from its click's event time (the simulator stamps the
        // wall clock).
        OutputMonitor.Observer recommendations =
                bytes -> {
                    try {
                        Recommendation r = codec.decode(bytes);
                        return new OutputMonitor.Observation(
                                r.getEventTime().toEpochMilli(),
                                r.getModelName() + "@" + r.getModelVersion());
                    } catch (IOException e) {
                        return null;
                    }
                };
        double bad = invalidEvery > 0 ? 1.0 / invalidEvery : 0;
        ClickFaults faults =
                ClickFaults.builder()
                        .seed(seed)
                        .duplicates(bad)
                        .unknownEventType(bad / 2)
                        .malformedIds(bad / 2)
                        .undecodable(bad / 4)
                        .unknownItems(bad)
                        .build();
        ClickstreamSimulator shop = shop(seed);
        ClickEventStream events =
                ClickEventStream.simulated(
                        shop, in, clicksPerSecond, faults, CandidateSampler.of(shop, 0.1, seed));
        return new DemoPipeline(
                new ClicksPipeline(),
                in,
                events,
                Map.of(topics.name(Topics.CLICKS_RECOMMENDATIONS), recommendations));
    }

    static DemoPipeline traffic(Topics topics, int sensors, long invalidEvery, long seed) {
        String in = topics.name(Topics.TRAFFIC_READINGS);
        AvroCodec<TrafficForecast> codec = AvroCodec.of(TrafficForecast.class);
        // Latency of a forecast counts from the watermark closing its interval: the reading's own
        // event time is simulated (300x faster than the wall clock) and says nothing about the
        // pipeline's speed.
        OutputMonitor.Observer forecasts =
                bytes -> {
                    try {
                        TrafficForecast f = codec.decode(bytes);
                        return new OutputMonitor.Observation(
                                f.getWindowClosedTime() == null
                                        ? f.getProcessingTime().toEpochMilli()
                                        : f.getWindowClosedTime().toEpochMilli(),
                                f.getModelName() + "@" + f.getModelVersion());
                    } catch (IOException e) {
                        return null;
                    }
                };
        // Event-time bounds of the faults are simulated time: 20 s out of order stays inside the
        // job's 30 s bound; 15 min late is past any interval's allowed lateness.
        ReadingFaults faults =
                ReadingFaults.builder()
                        .seed(seed)
                        .invalid(invalidEvery > 0 ? 1.0 / invalidEvery : 0)
                        .late(invalidEvery > 0 ? 0.2 / invalidEvery : 0, Duration.ofMinutes(15))
                        .outOfOrder(0.01, Duration.ofSeconds(20))
                        .build();
        TrafficReadingStream readings =
                TrafficReadingStream.simulated(
                        trafficNetwork(sensors, seed),
                        in,
                        "sim-net",
                        TRAFFIC_SPEEDUP,
                        faults,
                        seed);
        return new DemoPipeline(
                new TrafficPipeline(),
                in,
                readings,
                Map.of(topics.name(Topics.TRAFFIC_FORECASTS), forecasts));
    }
}
