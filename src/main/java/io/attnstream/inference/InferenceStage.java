package io.attnstream.inference;

import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.DecodeFunction;
import io.attnstream.platform.RawRecord;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.ModelUpdate;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How pipelines put a model into their graph: async scoring through the runtime, and model updates.
 */
public final class InferenceStage {
    private InferenceStage() {}

    /**
     * Scores every element through the model's batching runtime, keeping each subtask's order (a
     * key's outputs switch model version once): with {@link BatchingInferenceOperator} by default,
     * or with Flink's async I/O operator and one call per record when {@code
     * attnstream.inference.operator} is {@code async}.
     */
    public static <IN, I, O> SingleOutputStreamOperator<Inference<IN, O>> score(
            DataStream<IN> in,
            ModelScoring<IN, I, O> scoring,
            TypeInformation<Inference<IN, O>> type,
            String uid) {
        RuntimeSettings settings = scoring.settings();
        SingleOutputStreamOperator<Inference<IN, O>> scored =
                switch (settings.operator()) {
                    case BATCHING ->
                            in.transform(
                                    "inference: " + scoring.modelName(),
                                    type,
                                    new BatchingInferenceOperatorFactory<>(scoring));
                    case ASYNC ->
                            AsyncDataStream.orderedWait(
                                            in,
                                            new AsyncInferenceFunction<>(scoring),
                                            settings.timeout().toMillis(),
                                            TimeUnit.MILLISECONDS,
                                            settings.asyncCapacity())
                                    .returns(type)
                                    .name(
                                            "inference: "
                                                    + scoring.modelName()
                                                    + " (async, per record)");
                };
        return scored.uid(uid);
    }

    /**
     * Splits scored elements from failed ones; the failures come out of the side output as dead
     * letters.
     */
    public static <IN, O> SingleOutputStreamOperator<Inference<IN, O>> outcomes(
            DataStream<Inference<IN, O>> scored,
            InferenceOutcomes.DeadLetterFactory<IN> deadLetters,
            String uid) {
        return scored.process(new InferenceOutcomes<>(deadLetters))
                .returns(scored.getType())
                .uid(uid)
                .name("inference outcomes");
    }

    /**
     * The model-update path: Kafka -> decode + validate -> broadcast to every subtask -> apply to
     * the JVM's runtimes. Returns the dead letters of unusable updates (and of undecodable update
     * records).
     */
    public static DataStream<DeadLetter> modelUpdates(
            StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, String job) {
        SingleOutputStreamOperator<Sourced<ModelUpdate>> updates =
                env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                job + "-model-updates-source")
                        // uids carry the job: the demo runs several pipelines, each with its update
                        // path, in one job
                        .uid(job + "-model-updates-source")
                        .setParallelism(1)
                        .process(
                                new DecodeFunction<>(
                                        job, ModelUpdate.class, InferenceStage::checkUpdate))
                        .returns(Sourced.typeInfo(ModelUpdate.class))
                        .uid(job + "-model-updates-decode")
                        .name("decode + validate ModelUpdate")
                        .setParallelism(1);
        SingleOutputStreamOperator<String> applied =
                updates.broadcast()
                        .process(new ModelUpdateApplier(job))
                        .returns(Types.STRING)
                        .uid(updatesApplyUid(job))
                        .name("apply model updates");
        return DeadLetters.outOf(updates).union(DeadLetters.outOf(applied));
    }

    /** The uid of a job's update-applying operator, whose state records the accepted updates. */
    static String updatesApplyUid(String job) {
        return job + "-model-updates-apply";
    }

    private static Optional<String> checkUpdate(ModelUpdate u) {
        if (u.getModelName().isBlank()
                || u.getModelVersion().isBlank()
                || u.getLocation().isBlank()) {
            return Optional.of("model_name, model_version and location must not be empty");
        }
        return Optional.empty();
    }
}
