package io.attnstream.traffic;

import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.DecodeFunction;
import io.attnstream.platform.RawRecord;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.function.Consumer;

/**
 * Traffic readings -> decode + validate -> last-value forecast -> forecasts topic; bad records -> dead letters.
 * The job is a function of its I/O: the CLI wires Kafka, tests wire whatever source and sinks they like.
 */
public final class TrafficBaselineJob {
    public static final String NAME = "traffic-baseline";

    private TrafficBaselineJob() {}

    public static void defineWorkflow(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source,
            int horizon, int stepSeconds,
            Consumer<DataStream<TrafficForecast>> forecasts, Consumer<DataStream<DeadLetter>> deadLetters) {
        DataStream<RawRecord> raw = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "traffic-readings-source")
                .uid("traffic-readings-source");

        SingleOutputStreamOperator<Sourced<TrafficReading>> readings = raw
                .process(new DecodeFunction<>(NAME, TrafficReading.class, new TrafficReadingValidator()))
                .returns(Sourced.typeInfo(TrafficReading.class))
                .uid("traffic-decode")
                .name("decode + validate TrafficReading");

        SingleOutputStreamOperator<TrafficForecast> out = readings
                .process(new LastValueForecastFunction(horizon, stepSeconds))
                .returns(new AvroTypeInfo<>(TrafficForecast.class))
                .uid("traffic-last-value-forecast")
                .name("last-value forecast");

        forecasts.accept(out);
        deadLetters.accept(readings.getSideOutput(DeadLetters.TAG));
    }
}
