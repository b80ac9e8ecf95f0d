package io.attnstream.platform;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * An operator state that says, in every checkpoint, which format the operator's keyed state is in.
 * A client about to restore a savepoint reads it from the metadata alone ({@link
 * SavepointMetadata#hasOperatorState}): a savepoint without it was written by a release before that
 * format, whose state may need something the job must settle before it starts (e.g. which model's
 * vocabulary reads its indexes). Union state, so every subtask has it after any rescaling.
 */
public final class StateFormatMarker implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String stateName;
    private final String format;
    private transient ListState<String> state;

    public StateFormatMarker(String stateName, String format) {
        this.stateName = stateName;
        this.format = format;
    }

    public String stateName() {
        return stateName;
    }

    /** From the function's {@code initializeState}. */
    public void initialize(FunctionInitializationContext context) throws Exception {
        state =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>(stateName, Types.STRING));
    }

    /** From the function's {@code snapshotState}. */
    public void snapshot() throws Exception {
        state.update(List.of(format));
    }
}
