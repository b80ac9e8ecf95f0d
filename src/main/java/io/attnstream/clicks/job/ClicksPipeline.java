package io.attnstream.clicks.job;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.inference.LegacyStateModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.pipeline.CheckedModel;
import io.attnstream.pipeline.Pipeline;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ClickEventType;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code run clicks}: next-item recommendations and candidate scores with the sequence model. */
public final class ClicksPipeline implements Pipeline {
    public static final ConfigOption<String> MODEL =
            ConfigOptions.key("attnstream.clicks.model")
                    .stringType()
                    .defaultValue("clicks-sasrec")
                    .withDescription(
                            "Model directory, or name[@version] under attnstream.models.root"
                                    + " (latest version without @).");
    public static final ConfigOption<Integer> TOP_K =
            ConfigOptions.key("attnstream.clicks.top-k")
                    .intType()
                    .defaultValue(10)
                    .withDescription("Items per recommendation.");
    public static final ConfigOption<Duration> HISTORY_TTL =
            ConfigOptions.key("attnstream.clicks.history-ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription(
                            "A user's history is dropped after this long without clicks (keyed"
                                    + " state TTL).");

    public static final ConfigOption<Integer> HISTORY_KEEP =
            ConfigOptions.key("attnstream.clicks.history-keep")
                    .intType()
                    .defaultValue(UserHistoryFunction.DEFAULT_HISTORY_KEEP)
                    .withDescription(
                            "Item ids kept per user (raised to the model's history length L when"
                                    + " smaller). Kept as ids, items no model knows included, so a"
                                    + " retrained model with new items finds them in every"
                                    + " history.");

    public static final ConfigOption<Duration> DEDUP_TTL =
            ConfigOptions.key("attnstream.clicks.dedup-ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "An event whose event_id was seen within this time is a re-delivery:"
                                    + " not added to the history again and not scored again (keyed"
                                    + " state TTL).");
    public static final ConfigOption<Integer> DEDUP_KEEP =
            ConfigOptions.key("attnstream.clicks.dedup-keep")
                    .intType()
                    .defaultValue(UserHistoryFunction.DEFAULT_DEDUP_KEEP)
                    .withDescription(
                            "At most this many recent event ids per user are remembered for"
                                + " de-duplication (within dedup-ttl): a re-delivery of an older"
                                + " event of a user that clicked more often is scored again.");
    public static final ConfigOption<List<String>> SCORE_ON =
            ConfigOptions.key("attnstream.clicks.score-on")
                    .stringType()
                    .asList()
                    .defaultValues("VIEW", "CLICK", "ADD_TO_CART", "PURCHASE")
                    .withDescription(
                            "Event types that produce a recommendation (semicolon-separated); the"
                                    + " others still extend the user's history.");

    public static final ConfigOption<Boolean> ATTENTION_PER_HEAD =
            ConfigOptions.key("attnstream.clicks.attention-per-head")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also publish each attention head's weights"
                                + " (HistoryWeight.head_weights) beside their average; off by"
                                + " default, as it multiplies the attention records' size by the"
                                + " head count.");

    @Override
    public String name() {
        return "clicks";
    }

    @Override
    public String jobName() {
        return ClicksJob.NAME;
    }

    @Override
    public List<ConfigOption<String>> inputTopics() {
        return List.of(Topics.CLICKS_EVENTS, Topics.MODEL_UPDATES);
    }

    @Override
    public List<ConfigOption<String>> outputTopics() {
        return List.of(Topics.CLICKS_RECOMMENDATIONS, Topics.CLICKS_ATTENTION);
    }

    @Override
    public Optional<ConfigOption<String>> modelOption() {
        return Optional.of(MODEL);
    }

    @Override
    public void build(StreamExecutionEnvironment env, PipelineContext ctx) {
        CheckedModel model = CheckedModel.of(ctx.config(), MODEL, SequenceModels.KIND);
        ModelSpec spec = model.spec();
        SequencePreprocessing preprocessing = SequencePreprocessing.of(spec, model.dir());
        ItemVocabulary legacy =
                LegacyStateModel.of(
                                env.getConfiguration(),
                                ClicksJob.NAME,
                                ClicksJob.HISTORY_UID,
                                UserHistoryFunction.FORMAT_STATE,
                                spec.name(),
                                model.dir())
                        .map(dir -> SequencePreprocessing.of(ModelStore.readSpec(dir), dir))
                        .map(SequencePreprocessing::vocabulary)
                        .orElse(null);
        int maxLength = preprocessing.maxLength();
        ClicksJob.Settings s =
                new ClicksJob.Settings(
                        spec.name(),
                        model.dir(),
                        maxLength,
                        Math.max(maxLength, ctx.config().get(HISTORY_KEEP)),
                        ctx.config().get(TOP_K),
                        ctx.config().get(HISTORY_TTL),
                        RuntimeSettings.from(ctx.config(), spec.name()),
                        ctx.config().get(DEDUP_TTL),
                        scoreOn(ctx.config().get(SCORE_ON)),
                        ctx.config().get(ATTENTION_PER_HEAD),
                        ctx.config().get(DEDUP_KEEP),
                        legacy);
        ClicksJob.defineWorkflow(
                env,
                ctx.source(Topics.CLICKS_EVENTS, ClicksJob.events()),
                ctx.modelUpdatesSource(),
                s,
                recs ->
                        ctx.sink(
                                recs,
                                Topics.CLICKS_RECOMMENDATIONS,
                                Recommendation.class,
                                Recommendation::getUserId),
                att ->
                        ctx.attentionSink(
                                att,
                                Topics.CLICKS_ATTENTION,
                                RecommendationAttention.class,
                                RecommendationAttention::getUserId,
                                RecommendationAttention::getPredictionId),
                ctx::deadLetterSink);
    }

    static Set<ClickEventType> scoreOn(List<String> names) {
        EnumSet<ClickEventType> types = EnumSet.noneOf(ClickEventType.class);
        for (String n : names) {
            try {
                types.add(ClickEventType.valueOf(n.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new AttnstreamException(
                        SCORE_ON.key()
                                + ": unknown event type '"
                                + n
                                + "'; known: "
                                + Arrays.toString(ClickEventType.values()));
            }
        }
        return types;
    }
}
