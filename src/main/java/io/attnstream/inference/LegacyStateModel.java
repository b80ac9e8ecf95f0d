package io.attnstream.inference;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.SavepointMetadata;
import io.attnstream.schema.ModelUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which model wrote the keyed state that a savepoint of an earlier release holds in that model's
 * terms (vocabulary indexes, sensor columns): settled on the client, before the job starts, so the
 * job can convert the state with the right preprocessing or refuse to start with one line.
 *
 * <p>Those releases could only hot-swap versions with the same preprocessing, so the state was
 * written in the terms of the version the job last accepted through an update (recorded in the
 * update operator's state), or, when it never accepted one, of the model it started with, which the
 * savepoint does not record: then the model this job starts with is assumed, and a warning says so.
 */
public final class LegacyStateModel {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyStateModel.class);

    private LegacyStateModel() {}

    /**
     * @param stateUid the operator whose state may be in an earlier release's format
     * @param formatState the operator state this release's version of it writes: a savepoint
     *     without it holds the earlier format
     * @param startingDir the model this job starts with
     * @return the directory of the model whose preprocessing reads the restored state; empty when
     *     the job restores no state in the earlier format
     * @throws AttnstreamException when the savepoint cannot be read, or the model it records is
     *     gone
     */
    public static Optional<Path> of(
            ReadableConfig config,
            String job,
            String stateUid,
            String formatState,
            String modelName,
            Path startingDir) {
        Optional<String> path = SavepointMetadata.restorePath(config);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        SavepointMetadata savepoint = SavepointMetadata.read(path.get());
        if (!savepoint.hasOperator(stateUid) || savepoint.hasOperatorState(stateUid, formatState)) {
            return Optional.empty();
        }
        Optional<ModelUpdate> recorded =
                savepoint
                        .operatorStateElements(
                                InferenceStage.updatesApplyUid(job),
                                ModelUpdateApplier.STATE_NAME,
                                new AvroSerializer<>(ModelUpdate.class))
                        .stream()
                        .filter(u -> u.getModelName().equals(modelName))
                        .max(Comparator.comparing(ModelUpdate::getIssuedAt));
        if (recorded.isEmpty()) {
            LOG.warn(
                    "Savepoint {} holds {} state of an earlier release, in the terms of the model"
                            + " that job served; it records no model update, so it is read with the"
                            + " preprocessing of {}, which this job starts with",
                    savepoint.path(),
                    job,
                    startingDir);
            return Optional.of(startingDir);
        }
        ModelUpdate u = recorded.get();
        Path dir = ModelUpdateApplier.location(u);
        if (!Files.isRegularFile(dir.resolve(ModelStore.SPEC_FILE))) {
            throw new AttnstreamException(
                    "savepoint "
                            + savepoint.path()
                            + " holds "
                            + job
                            + " state of an earlier release, written in the terms of "
                            + u.getModelName()
                            + "@"
                            + u.getModelVersion()
                            + ", whose model directory "
                            + dir
                            + " is gone: put it back to convert the state, or start without the"
                            + " savepoint");
        }
        LOG.info(
                "Savepoint {} holds {} state of an earlier release: converting it with the"
                        + " preprocessing of {}@{} ({})",
                savepoint.path(),
                job,
                u.getModelName(),
                u.getModelVersion(),
                dir);
        return Optional.of(dir);
    }
}
