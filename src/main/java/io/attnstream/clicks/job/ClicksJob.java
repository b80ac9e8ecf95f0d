package io.attnstream.clicks.job;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.ItemHistoryTranslator;
import io.attnstream.clicks.model.ItemScores;
import io.attnstream.inference.Inference;
import io.attnstream.inference.InferenceStage;
import io.attnstream.inference.ModelScoring;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.DeadLetterRouter;
import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Decoded;
import io.attnstream.platform.DecodingDeserializer;
import io.attnstream.platform.RawRecord;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Click events (decoded + validated in the Kafka source) -> keyBy(user) -> history (keyed state,
 * TTL) -> batched inference with the sequence model (in order: a user's recommendations come out in
 * click order and switch model version once) -> recommendation + attention. Bad clicks, failed
 * inferences and rejected model updates become dead letters.
 */
public final class ClicksJob {
    public static final String NAME = "clicks";

    /** The uid of the operator that keeps the histories (their savepoint identity). */
    public static final String HISTORY_UID = "clicks-history";

    /**
     * What the job needs to know about its model and how to serve it.
     *
     * @param maxLength the model's L: every version the job serves has it
     * @param historyKeep item ids kept per user, at least L
     * @param legacyVocabulary the vocabulary of the model that wrote restored index state (a
     *     savepoint of a release before item-id histories), null when none is restored
     */
    public record Settings(
            String modelName,
            Path modelDir,
            int maxLength,
            int historyKeep,
            int topK,
            Duration historyTtl,
            RuntimeSettings runtime,
            Duration dedupTtl,
            Set<ClickEventType> scoreOn,
            boolean attentionPerHead,
            int dedupKeep,
            ItemVocabulary legacyVocabulary)
            implements Serializable {
        public Settings {
            if (historyKeep < maxLength) {
                throw new IllegalArgumentException(
                        "history-keep ("
                                + historyKeep
                                + ") must be at least the model's history length L ("
                                + maxLength
                                + ")");
            }
        }

        /**
         * Every event type scored, the default history kept (at least L), duplicates recognised for
         * an hour, attention averaged over heads only, no index state to restore.
         */
        public Settings(
                String modelName,
                Path modelDir,
                int maxLength,
                int topK,
                Duration historyTtl,
                RuntimeSettings runtime) {
            this(
                    modelName,
                    modelDir,
                    maxLength,
                    Math.max(maxLength, UserHistoryFunction.DEFAULT_HISTORY_KEEP),
                    topK,
                    historyTtl,
                    runtime,
                    Duration.ofHours(1),
                    EnumSet.allOf(ClickEventType.class),
                    false,
                    UserHistoryFunction.DEFAULT_DEDUP_KEEP,
                    null);
        }
    }

    private ClicksJob() {}

    /**
     * What the ClickEvent source decodes and validates with; a record that fails either becomes a
     * dead letter.
     */
    public static DecodingDeserializer<ClickEvent> events() {
        return new DecodingDeserializer<>(NAME, ClickEvent.class, new ClickEventValidator());
    }

    /**
     * @param updates null for a job without hot-swap
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<Decoded<ClickEvent>, ?, ?> clicks,
            Source<RawRecord, ?, ?> updates,
            Settings s,
            Consumer<DataStream<Recommendation>> recommendations,
            Consumer<DataStream<RecommendationAttention>> attention,
            Consumer<DataStream<DeadLetter>> deadLetters) {
        SingleOutputStreamOperator<Sourced<ClickEvent>> events =
                DeadLetterRouter.fromSource(
                        env,
                        clicks,
                        WatermarkStrategy.noWatermarks(),
                        "clicks-source",
                        "clicks-dead-letter-route",
                        ClickEvent.class);

        SingleOutputStreamOperator<HistoryRequest> histories =
                events.keyBy(e -> e.value.getUserId())
                        .process(
                                new UserHistoryFunction(
                                        s.historyKeep(),
                                        s.historyTtl(),
                                        s.dedupTtl(),
                                        s.scoreOn(),
                                        s.dedupKeep(),
                                        s.legacyVocabulary()))
                        .returns(HistoryRequest.typeInfo())
                        .uid(HISTORY_UID)
                        .name("user history (last " + s.historyKeep() + " items)");

        TypeInformation<Inference<HistoryRequest, ItemScores>> scoredType =
                Inference.typeInfo(HistoryRequest.typeInfo(), TypeInformation.of(ItemScores.class));
        // No second keyBy: the history operator's output is already partitioned by user, and the
        // forward (chained) connection keeps each user's order into the inference operator (which
        // emits in input order) without another serialisation.
        var scored =
                InferenceStage.score(
                        histories,
                        new ModelScoring<>(
                                s.modelName(),
                                s.modelDir(),
                                s.runtime(),
                                ItemHistoryTranslator.factory(s.topK(), s.attentionPerHead()),
                                HistoryRequest.toModel(s.legacyVocabulary())),
                        scoredType,
                        "clicks-inference");
        var ok =
                InferenceStage.outcomes(
                        scored,
                        (in, stage, reason) ->
                                DeadLetters.of(
                                        NAME,
                                        stage,
                                        reason,
                                        null,
                                        in.event,
                                        AvroCodec.of(ClickEvent.class)),
                        "clicks-inference-outcomes");

        SingleOutputStreamOperator<Recommendation> recs =
                ok.process(new RecommendationAssembler())
                        .returns(new AvroTypeInfo<>(Recommendation.class))
                        .uid("clicks-assemble")
                        .name("assemble recommendation + attention");

        recommendations.accept(recs);
        attention.accept(recs.getSideOutput(RecommendationAssembler.ATTENTION));
        DataStream<DeadLetter> dead = DeadLetters.outOf(events).union(DeadLetters.outOf(ok));
        if (updates != null) {
            dead = dead.union(InferenceStage.modelUpdates(env, updates, NAME));
        }
        deadLetters.accept(dead);
    }
}
