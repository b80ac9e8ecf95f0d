package io.attnstream.platform;

import io.attnstream.schema.Lineage;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Prediction ids are name-based UUIDs of (model, version, input lineage, sub-key): a prediction replayed after a
 * failure gets the same id, and the prediction and its attention record share it.
 */
public final class PredictionIds {
    private PredictionIds() {}

    public static String of(String modelName, String modelVersion, Lineage lineage, String subKey) {
        String name = modelName + "|" + modelVersion + "|" + lineage.getTopic() + "|" + lineage.getPartition()
                + "|" + lineage.getOffset() + "|" + subKey;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
