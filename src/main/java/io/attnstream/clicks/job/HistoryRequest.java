package io.attnstream.clicks.job;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.ItemHistory;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A click with the user's history up to and including it, ready to score: item ids, which the model
 * version that scores it turns into its own indexes. A Flink POJO; the inference operator keeps
 * requests in flight in its checkpoints.
 */
public class HistoryRequest {
    public Sourced<ClickEvent> event;

    /** Item ids, oldest first, the clicked item last; items no model knows included. */
    public String[] items;

    /**
     * What earlier releases sent instead of {@link #items}: vocabulary indexes of the model they
     * served, unknown items left out. Only a request restored from their checkpoints has it.
     */
    public int[] history;

    /** Earlier releases' candidate indexes; see {@link #history}. */
    public int[] candidates;

    public HistoryRequest() {}

    public HistoryRequest(Sourced<ClickEvent> event, String[] items) {
        this.event = event;
        this.items = items;
    }

    /**
     * The model request; an earlier release's request is read through the vocabulary its indexes
     * belong to.
     *
     * @param legacy the vocabulary of the model that wrote restored index state; null when none was
     *     restored
     */
    public ItemHistory toModelRequest(ItemVocabulary legacy) {
        String[] ids = items;
        if (ids == null) {
            ids = LegacyHistories.ids(history, legacy);
        }
        return new ItemHistory(ids, event.value.getCandidates().toArray(new String[0]));
    }

    /** {@link #toModelRequest} as the inference stage's request function. */
    static ToModel toModel(ItemVocabulary legacy) {
        return new ToModel(legacy);
    }

    record ToModel(ItemVocabulary legacy)
            implements SerializableFunction<HistoryRequest, ItemHistory> {
        @Override
        public ItemHistory apply(HistoryRequest r) {
            return r.toModelRequest(legacy);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<HistoryRequest> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        HistoryRequest.class,
                        Map.of(
                                "event", Sourced.typeInfo(ClickEvent.class),
                                "items", Types.OBJECT_ARRAY(Types.STRING),
                                "history", Types.PRIMITIVE_ARRAY(Types.INT),
                                "candidates", Types.PRIMITIVE_ARRAY(Types.INT)));
    }
}
