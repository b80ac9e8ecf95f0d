package io.attnstream.demo;

import io.attnstream.pipeline.TrafficBaselinePipeline;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.traffic.TrafficSimulator;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The pipelines {@code demo} runs, each with its simulator and output observers. */
public final class DemoPipelines {
    private DemoPipelines() {}

    public static List<DemoPipeline> all(Topics topics, int sensors, long corruptEvery, long seed) {
        return List.of(traffic(topics, sensors, corruptEvery, seed));
    }

    static DemoPipeline traffic(Topics topics, int sensors, long corruptEvery, long seed) {
        String in = topics.name(Topics.TRAFFIC_READINGS);
        AvroCodec<TrafficForecast> codec = AvroCodec.of(TrafficForecast.class);
        OutputMonitor.Observer forecasts = bytes -> {
            try {
                TrafficForecast f = codec.decode(bytes);
                return new OutputMonitor.Observation(f.getEventTime().toEpochMilli(),
                        f.getModelName() + "@" + f.getModelVersion());
            } catch (IOException e) {
                return null;
            }
        };
        return new DemoPipeline(new TrafficBaselinePipeline(), in,
                new TrafficSimulator(in, "sim-net", sensors, corruptEvery, seed),
                Map.of(topics.name(Topics.TRAFFIC_FORECASTS), forecasts));
    }
}
