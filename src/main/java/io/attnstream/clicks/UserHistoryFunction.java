package io.attnstream.clicks;

import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps each user's last L known item indexes in keyed state and emits, for every click, the history including
 * that click. Users come and go without end, so the state expires after {@code ttl} without clicks.
 */
public class UserHistoryFunction extends KeyedProcessFunction<String, Sourced<ClickEvent>, HistoryRequest> {
    private static final long serialVersionUID = 1L;

    private final ItemVocabulary vocabulary;
    private final int maxLength;
    private final Duration ttl;
    private transient ValueState<int[]> history;

    public UserHistoryFunction(ItemVocabulary vocabulary, int maxLength, Duration ttl) {
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<int[]> d = new ValueStateDescriptor<>("user-history", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        history = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(Sourced<ClickEvent> click, Context ctx, Collector<HistoryRequest> out) throws Exception {
        int[] before = history.value();
        if (before == null) {
            before = new int[0];
        }
        int item = vocabulary.indexOf(click.value.getItemId());
        int[] now = item == ItemVocabulary.UNKNOWN ? before : append(before, item, maxLength);
        if (now != before) {
            history.update(now);
        }
        List<String> candidates = click.value.getCandidates();
        int[] cand = new int[candidates.size()];
        for (int i = 0; i < cand.length; i++) {
            cand[i] = vocabulary.indexOf(candidates.get(i));
        }
        out.collect(new HistoryRequest(click, now, cand));
    }

    static int[] append(int[] h, int item, int maxLength) {
        int keep = Math.min(h.length, maxLength - 1);
        int[] n = Arrays.copyOfRange(h, h.length - keep, h.length + 1);
        n[keep] = item;
        return n;
    }
}
