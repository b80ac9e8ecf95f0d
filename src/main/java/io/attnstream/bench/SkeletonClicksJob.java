package io.attnstream.bench;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.RawRecord;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.ScoredItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The clicks job's anchor (issue 13): the same shape without inference, in Flink's own operators.
 * Kafka source -> decode the ClickEvent -> keyBy(user) -> the user's last L item ids in a
 * ValueState -> a Recommendation of 10 items -> the clicks job's Kafka sink. What Flink and Kafka
 * need for the clicks job's work on the same machine; the clicks job with a null model, next to it,
 * shows what attnstream's own operators add.
 */
final class SkeletonClicksJob {
    static final String NAME = "clicks-skeleton";

    private SkeletonClicksJob() {}

    /**
     * @param historyLength L, the item ids kept per user (the model's T in the clicks job)
     * @param items the recommendation's items, the same for everyone
     */
    static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<RawRecord, ?, ?> clicks,
            int historyLength,
            List<String> items,
            Consumer<DataStream<Recommendation>> sink) {
        DataStream<Recommendation> recs =
                env.fromSource(clicks, WatermarkStrategy.noWatermarks(), "skeleton-source")
                        .uid("skeleton-source")
                        .flatMap(new Decode())
                        .returns(Sourced.typeInfo(ClickEvent.class))
                        .uid("skeleton-decode")
                        .name("skeleton: decode ClickEvent")
                        .keyBy(e -> e.value.getUserId(), Types.STRING)
                        .process(new LastItems(historyLength, items))
                        .returns(new AvroTypeInfo<>(Recommendation.class))
                        .uid("skeleton-history")
                        .name("skeleton: last " + historyLength + " items -> recommendation");
        sink.accept(recs);
    }

    /** Avro bytes to a ClickEvent with its Kafka coordinates; undecodable records are dropped. */
    static final class Decode extends RichFlatMapFunction<RawRecord, Sourced<ClickEvent>> {
        private static final long serialVersionUID = 1L;
        private transient AvroCodec<ClickEvent> codec;

        @Override
        public void open(OpenContext context) {
            codec = AvroCodec.of(ClickEvent.class);
        }

        @Override
        public void flatMap(RawRecord raw, Collector<Sourced<ClickEvent>> out) {
            try {
                out.collect(Sourced.of(codec.decode(raw.value), raw));
            } catch (Exception e) {
                // the skeleton measures the happy path; the real job's dead letters are not part of
                // it
            }
        }
    }

    /**
     * Keeps the user's last L item ids and answers every click with the same 10-item
     * recommendation.
     */
    static final class LastItems
            extends KeyedProcessFunction<String, Sourced<ClickEvent>, Recommendation> {
        private static final long serialVersionUID = 1L;
        private final int historyLength;
        private final List<String> items;
        private transient ValueState<String[]> history;

        LastItems(int historyLength, List<String> items) {
            this.historyLength = historyLength;
            this.items = new ArrayList<>(items);
        }

        @Override
        public void open(OpenContext context) {
            history =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "last-items",
                                            BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement(
                Sourced<ClickEvent> click, Context ctx, Collector<Recommendation> out)
                throws Exception {
            String[] h = history.value();
            h = h == null ? new String[0] : h;
            String[] next =
                    h.length < historyLength
                            ? Arrays.copyOf(h, h.length + 1)
                            : Arrays.copyOfRange(h, 1, h.length + 1); // drop the oldest
            next[next.length - 1] = click.value.getItemId().toString();
            history.update(next);
            List<ScoredItem> top = new ArrayList<>(items.size());
            for (String item : items) {
                top.add(new ScoredItem(item, 0f));
            }
            out.collect(
                    Recommendation.newBuilder()
                            .setPredictionId(
                                    click.topic + "-" + click.partition + "-" + click.offset)
                            .setModelName("skeleton")
                            .setModelVersion("0")
                            .setUserId(click.value.getUserId())
                            .setEventTime(click.value.getEventTime())
                            .setProcessingTime(Instant.now())
                            .setLineage(click.lineage())
                            .setTopItems(top)
                            .setCandidateScores(List.of())
                            .setHistoryLength(next.length)
                            .build());
        }
    }
}
