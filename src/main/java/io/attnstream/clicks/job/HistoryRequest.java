package io.attnstream.clicks.job;

import io.attnstream.clicks.model.SequenceRequest;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/** A click with the user's history up to and including it, ready to score. A Flink POJO. */
public class HistoryRequest {
    public Sourced<ClickEvent> event;

    /** Item indexes, oldest first, the clicked item last; unknown items left out. */
    public int[] history;

    /** Candidate item indexes (0 for items the model does not know). */
    public int[] candidates;

    public HistoryRequest() {}

    public HistoryRequest(Sourced<ClickEvent> event, int[] history, int[] candidates) {
        this.event = event;
        this.history = history;
        this.candidates = candidates;
    }

    public SequenceRequest toModelRequest() {
        return new SequenceRequest(history, candidates);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<HistoryRequest> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        HistoryRequest.class,
                        Map.of(
                                "event", Sourced.typeInfo(ClickEvent.class),
                                "history", Types.PRIMITIVE_ARRAY(Types.INT),
                                "candidates", Types.PRIMITIVE_ARRAY(Types.INT)));
    }
}
