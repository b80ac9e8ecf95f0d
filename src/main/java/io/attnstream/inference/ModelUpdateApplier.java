package io.attnstream.inference;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.ModelUpdate;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link ModelUpdate}s (broadcast to every subtask) to the JVM's batching runtimes. The
 * runtime loads the new version beside the old one and switches between batches; a bad update is
 * rejected with a dead letter and the old version keeps serving. The latest accepted update per
 * model is kept in union operator state, so a job restored from a checkpoint serves the version it
 * served before.
 *
 * <p>Every subtask sees every update and applies it to its JVM (idempotent per version); only
 * subtask 0 writes the dead letter of a bad one, so it is reported once.
 *
 * <p>Emits the accepted updates ("name@version") on its main output, for audit.
 */
public class ModelUpdateApplier extends ProcessFunction<Sourced<ModelUpdate>, String>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelUpdateApplier.class);

    /** The union state of accepted updates (read on the client by {@link LegacyStateModel}). */
    static final String STATE_NAME = "accepted-model-updates";

    private final String job;
    private transient Map<String, ModelUpdate> accepted;
    private transient ListState<ModelUpdate> state;

    public ModelUpdateApplier(String job) {
        this.job = job;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        STATE_NAME, new AvroTypeInfo<>(ModelUpdate.class)));
        accepted = new LinkedHashMap<>();
        if (context.isRestored()) {
            for (ModelUpdate u : state.get()) {
                ModelUpdate seen = accepted.get(u.getModelName());
                if (seen == null || seen.getIssuedAt().isBefore(u.getIssuedAt())) {
                    accepted.put(u.getModelName(), u);
                }
            }
            for (ModelUpdate u : accepted.values()) {
                try {
                    RuntimeRegistry.update(
                            jobId(),
                            u.getModelName(),
                            location(u),
                            u.getModelVersion(),
                            u.getSha256());
                    LOG.info("Restored model version {}@{}", u.getModelName(), u.getModelVersion());
                } catch (AttnstreamException e) {
                    LOG.warn(
                            "Could not restore model version {}@{}: {}",
                            u.getModelName(),
                            u.getModelVersion(),
                            e.getMessage());
                }
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        state.update(new ArrayList<>(accepted.values()));
    }

    @Override
    public void processElement(Sourced<ModelUpdate> in, Context ctx, Collector<String> out) {
        ModelUpdate u = in.value;
        LOG.info(
                "Model update {}@{} received (location {}, issued {} by {})",
                u.getModelName(),
                u.getModelVersion(),
                u.getLocation(),
                u.getIssuedAt(),
                u.getIssuedBy());
        try {
            boolean switched =
                    RuntimeRegistry.update(
                            jobId(),
                            u.getModelName(),
                            location(u),
                            u.getModelVersion(),
                            u.getSha256());
            accepted.put(u.getModelName(), u);
            out.collect(u.getModelName() + "@" + u.getModelVersion());
            if (switched) {
                LOG.info(
                        "Model update {}@{} from {} applied",
                        u.getModelName(),
                        u.getModelVersion(),
                        u.getLocation());
            }
        } catch (AttnstreamException e) {
            LOG.warn(
                    "Model update {}@{} rejected: {}",
                    u.getModelName(),
                    u.getModelVersion(),
                    e.getMessage());
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                ctx.output(
                        DeadLetters.TAG,
                        DeadLetters.of(
                                job,
                                FailureStage.MODEL_UPDATE,
                                "model update "
                                        + u.getModelName()
                                        + "@"
                                        + u.getModelVersion()
                                        + " rejected: "
                                        + e.getMessage(),
                                e,
                                in,
                                AvroCodec.of(ModelUpdate.class)));
            }
        }
    }

    private String jobId() {
        return getRuntimeContext().getJobInfo().getJobId().toString();
    }

    /** A plain path or a file: URI. */
    static Path location(ModelUpdate u) {
        String loc = u.getLocation();
        try {
            return loc.startsWith("file:") ? Path.of(URI.create(loc)) : Path.of(loc);
        } catch (RuntimeException e) {
            throw new AttnstreamException(
                    "model location '" + loc + "' is not a path or file: URI");
        }
    }
}
