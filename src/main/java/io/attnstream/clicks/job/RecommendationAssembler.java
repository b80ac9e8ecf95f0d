package io.attnstream.clicks.job;

import io.attnstream.clicks.model.ItemScores;
import io.attnstream.inference.Inference;
import io.attnstream.platform.PredictionIds;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.HistoryWeight;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import io.attnstream.schema.ScoredItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a scored history into the published records: the recommendation (main output) and its
 * attention over the history (side output), sharing one prediction id. The scores come in item ids
 * from the version that scored them, so this needs no vocabulary; the items that version did not
 * know are counted ({@code itemsUnknownToModel}).
 */
public class RecommendationAssembler
        extends ProcessFunction<Inference<HistoryRequest, ItemScores>, Recommendation> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RecommendationAttention> ATTENTION =
            new OutputTag<>(
                    "recommendation-attention", new AvroTypeInfo<>(RecommendationAttention.class));

    private transient Counter unknownItems;

    @Override
    public void open(OpenContext openContext) {
        unknownItems = getRuntimeContext().getMetricGroup().counter("itemsUnknownToModel");
    }

    @Override
    public void processElement(
            Inference<HistoryRequest, ItemScores> in, Context ctx, Collector<Recommendation> out) {
        ClickEvent click = in.input.event.value;
        Lineage lineage = in.input.event.lineage();
        String id = PredictionIds.of(in.modelName, in.modelVersion, lineage, click.getUserId());
        Instant now = Instant.now();
        ItemScores s = in.output;
        unknownItems.inc(s.unknownItems);

        List<ScoredItem> top = new ArrayList<>(s.topItems.length);
        for (int i = 0; i < s.topItems.length; i++) {
            top.add(new ScoredItem(s.topItems[i], s.topScores[i]));
        }
        List<ScoredItem> candidates = new ArrayList<>(click.getCandidates().size());
        for (int i = 0; i < click.getCandidates().size(); i++) {
            candidates.add(new ScoredItem(click.getCandidates().get(i), s.candidateScores[i]));
        }
        out.collect(
                Recommendation.newBuilder()
                        .setPredictionId(id)
                        .setModelName(in.modelName)
                        .setModelVersion(in.modelVersion)
                        .setUserId(click.getUserId())
                        .setEventTime(click.getEventTime())
                        .setProcessingTime(now)
                        .setLineage(lineage)
                        .setTopItems(top)
                        .setCandidateScores(candidates)
                        .setHistoryLength(s.attention.length)
                        .build());

        int used = s.attention.length;
        List<HistoryWeight> weights = new ArrayList<>(used);
        int heads = s.heads();
        for (int i = 0; i < used; i++) {
            List<Float> perHead = null;
            if (heads > 0) {
                perHead = new ArrayList<>(heads);
                for (int h = 0; h < heads; h++) {
                    perHead.add(s.headAttention[h * used + i]);
                }
            }
            weights.add(new HistoryWeight(s.attendedItems[i], i, s.attention[i], perHead));
        }
        ctx.output(
                ATTENTION,
                RecommendationAttention.newBuilder()
                        .setPredictionId(id)
                        .setModelName(in.modelName)
                        .setModelVersion(in.modelVersion)
                        .setUserId(click.getUserId())
                        .setEventTime(click.getEventTime())
                        .setProcessingTime(now)
                        .setLineage(lineage)
                        .setHistory(weights)
                        .build());
    }
}
