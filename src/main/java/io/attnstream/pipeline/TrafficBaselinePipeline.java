package io.attnstream.pipeline;

import io.attnstream.platform.Topics;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.traffic.TrafficBaselineJob;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;

/** {@code run traffic} until the attention forecaster lands: the last-value baseline on the traffic topics. */
public final class TrafficBaselinePipeline implements Pipeline {
    public static final ConfigOption<Integer> HORIZON = ConfigOptions.key("attnstream.traffic.horizon")
            .intType().defaultValue(12)
            .withDescription("Forecast steps per sensor (12 five-minute steps = 1 hour).");
    public static final ConfigOption<Integer> STEP_SECONDS = ConfigOptions.key("attnstream.traffic.step-seconds")
            .intType().defaultValue(300)
            .withDescription("Length of one forecast step in seconds (the sensors' reporting interval).");

    @Override
    public String name() {
        return "traffic";
    }

    @Override
    public String jobName() {
        return TrafficBaselineJob.NAME;
    }

    @Override
    public List<ConfigOption<String>> inputTopics() {
        return List.of(Topics.TRAFFIC_READINGS);
    }

    @Override
    public List<ConfigOption<String>> outputTopics() {
        return List.of(Topics.TRAFFIC_FORECASTS);
    }

    @Override
    public void build(StreamExecutionEnvironment env, PipelineContext ctx) {
        TrafficBaselineJob.defineWorkflow(env, ctx.source(Topics.TRAFFIC_READINGS),
                ctx.config().get(HORIZON), ctx.config().get(STEP_SECONDS),
                forecasts -> ctx.sink(forecasts, Topics.TRAFFIC_FORECASTS, TrafficForecast.class, TrafficForecast::getSensorId),
                ctx::deadLetterSink);
    }
}
