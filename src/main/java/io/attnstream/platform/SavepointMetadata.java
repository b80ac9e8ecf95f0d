package io.attnstream.platform;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.flink.shaded.guava33.com.google.common.hash.Hashing;

/**
 * What a savepoint (or retained checkpoint) holds, read on the client before a job restores from
 * it: which operators have state, which operator states they hold, and the elements of small
 * operator list states. A job uses it to settle, before it starts, what its restored state needs
 * (e.g. which model's vocabulary reads an earlier release's index state), and to refuse to start
 * with one line when that cannot be had. Reads the metadata file and, for elements, the operator
 * state files it points to; never keyed state.
 */
public final class SavepointMetadata {
    private final String path;
    private final CheckpointMetadata metadata;

    private SavepointMetadata(String path, CheckpointMetadata metadata) {
        this.path = path;
        this.metadata = metadata;
    }

    /** The savepoint the job is asked to restore from ({@code flink run -s}, or the option). */
    public static Optional<String> restorePath(ReadableConfig config) {
        return config.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).filter(p -> !p.isBlank());
    }

    /**
     * @throws AttnstreamException when there is no savepoint at {@code path} or it cannot be read
     */
    public static SavepointMetadata read(String path) {
        try {
            CompletedCheckpointStorageLocation location =
                    AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(path);
            try (DataInputStream in =
                    new DataInputStream(location.getMetadataHandle().openInputStream())) {
                return new SavepointMetadata(
                        path,
                        Checkpoints.loadCheckpointMetadata(
                                in,
                                SavepointMetadata.class.getClassLoader(),
                                location.getExternalPointer()));
            }
        } catch (IOException | RuntimeException e) {
            throw new AttnstreamException(
                    "cannot read savepoint " + path + ": " + e.getMessage(), e);
        }
    }

    public String path() {
        return path;
    }

    /** Whether the operator with this uid has any state in the savepoint. */
    public boolean hasOperator(String uid) {
        return operator(uid).map(OperatorState::hasSubtaskStates).orElse(false);
    }

    /** Whether the operator with this uid holds an operator (non-keyed) state of this name. */
    public boolean hasOperatorState(String uid, String stateName) {
        return !handles(uid, stateName).isEmpty();
    }

    /**
     * Every element of the operator's list (or union list) state {@code stateName}, over all
     * subtasks: a union state's elements therefore come once per subtask that wrote them.
     *
     * @param serializer the state's serializer, one that reads what the savepoint wrote
     */
    public <T> List<T> operatorStateElements(
            String uid, String stateName, TypeSerializer<T> serializer) {
        List<T> out = new ArrayList<>();
        for (OperatorStateHandle h : handles(uid, stateName)) {
            long[] offsets = h.getStateNameToPartitionOffsets().get(stateName).getOffsets();
            try (FSDataInputStream in = h.openInputStream()) {
                DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
                for (long offset : offsets) {
                    in.seek(offset);
                    out.add(serializer.deserialize(view));
                }
            } catch (IOException e) {
                throw new AttnstreamException(
                        "cannot read state '"
                                + stateName
                                + "' of operator "
                                + uid
                                + " in savepoint "
                                + path
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return out;
    }

    private List<OperatorStateHandle> handles(String uid, String stateName) {
        List<OperatorStateHandle> out = new ArrayList<>();
        operator(uid)
                .ifPresent(
                        op -> {
                            for (OperatorSubtaskState s : op.getStates()) {
                                for (OperatorStateHandle h : s.getManagedOperatorState()) {
                                    if (h.getStateNameToPartitionOffsets().containsKey(stateName)) {
                                        out.add(h);
                                    }
                                }
                            }
                        });
        return out;
    }

    private Optional<OperatorState> operator(String uid) {
        OperatorID id = operatorId(uid);
        return metadata.getOperatorStates().stream()
                .filter(op -> op.getOperatorID().equals(id))
                .findFirst();
    }

    /** The id Flink derives from a uid (as StreamGraphHasherV2 does: murmur3-128 of the uid). */
    static OperatorID operatorId(String uid) {
        return new OperatorID(
                Hashing.murmur3_128(0)
                        .newHasher()
                        .putString(uid, StandardCharsets.UTF_8)
                        .hash()
                        .asBytes());
    }
}
