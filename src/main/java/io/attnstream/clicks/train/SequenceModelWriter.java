package io.attnstream.clicks.train;

import ai.djl.Model;
import io.attnstream.clicks.data.LeaveOneOut;
import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.clicks.model.SequenceRecommenderBlock;
import io.attnstream.inference.ModelStore;
import io.attnstream.training.DataFingerprint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a trained recommender's model directory: its parameters and model.json with the
 * vocabulary, the validation metrics and what it was trained on (the data's fingerprint, the
 * configuration). Field names and values are read back by saved models' tools: they do not change.
 */
final class SequenceModelWriter {
    private final Map<String, List<String>> sequences;
    private final Path dataFile;
    private final SequenceTrainingConfig config;

    /**
     * @param dataFile the file the sequences were read from, or null when they were built in memory
     */
    SequenceModelWriter(
            Map<String, List<String>> sequences, Path dataFile, SequenceTrainingConfig config) {
        this.sequences = sequences;
        this.dataFile = dataFile;
        this.config = config;
    }

    /** Returns the directory written. */
    Path write(
            Path modelDir,
            String name,
            String version,
            SequenceRecommenderBlock block,
            LeaveOneOut split,
            SequenceTrainingRun.Outcome outcome,
            int validationUsers,
            double seconds) {
        // the saved model is the recommender alone, so ModelStore and the streaming translator load
        // it as is
        try (Model saved = Model.newInstance(name)) {
            saved.setBlock(block);
            return ModelStore.save(
                    saved,
                    SequenceModels.spec(
                            name,
                            version,
                            block,
                            split.vocabulary(),
                            trainingData(split),
                            metrics(outcome, validationUsers, seconds)),
                    modelDir);
        }
    }

    private static Map<String, Object> metrics(
            SequenceTrainingRun.Outcome outcome, int validationUsers, double seconds) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validation_protocol", RankingEvaluation.Protocol.SAMPLED_100.label());
        metrics.put("validation_hr@10", outcome.bestMetrics().hr10());
        metrics.put("validation_ndcg@10", outcome.bestMetrics().ndcg10());
        metrics.put("validation_most_popular_hr@10", outcome.popularMetrics().hr10());
        metrics.put("validation_most_popular_ndcg@10", outcome.popularMetrics().ndcg10());
        metrics.put("validation_users", validationUsers);
        metrics.put("best_epoch", outcome.best().epoch());
        metrics.put("epochs_run", outcome.epochs().size());
        metrics.put("skipped_batches", outcome.skippedBatches());
        metrics.put("training_seconds", Math.round(seconds * 10) / 10.0);
        return metrics;
    }

    private Map<String, Object> trainingData(LeaveOneOut split) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fingerprint", dataFile != null ? DataFingerprint.ofFile(dataFile) : valuesHash());
        map.put(
                "description",
                (dataFile != null ? dataFile.getFileName() + ": " : "")
                        + "leave-one-out training parts (last item test, second to last"
                        + " validation)");
        map.put("users", split.userCount());
        map.put("items", split.vocabulary().size());
        map.put("config", config.toMap());
        return map;
    }

    /**
     * The users and items in sorted user order, each user "user\n", then "item " per item, then
     * "\n": the layout saved models were fingerprinted with.
     */
    private String valuesHash() {
        DataFingerprint fingerprint = DataFingerprint.ofValues();
        new TreeMap<>(sequences)
                .forEach(
                        (user, items) -> {
                            fingerprint.add(user).add((byte) '\n');
                            for (String item : items) {
                                fingerprint.add(item).add((byte) ' ');
                            }
                            fingerprint.add((byte) '\n');
                        });
        return fingerprint.value();
    }
}
