package io.attnstream.clicks.job;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.platform.AttnstreamException;

/**
 * Reads the index histories of releases before item ids (state and in-flight requests restored from
 * their savepoints) as ids, through the vocabulary of the model that wrote them. Which model that
 * was is settled before the job starts ({@link ClicksJob.Settings#legacyVocabulary}); a job
 * restored from such a savepoint without it cannot read its state and says so.
 */
final class LegacyHistories {
    private LegacyHistories() {}

    /**
     * @throws AttnstreamException when indexes need converting but no vocabulary was given, or an
     *     index is outside it (the vocabulary is not the one that wrote them)
     */
    static String[] ids(int[] indexes, ItemVocabulary legacy) {
        if (indexes == null) {
            return new String[0];
        }
        if (legacy == null) {
            throw new AttnstreamException(
                    "restored state holds item histories as vocabulary indexes (written by a"
                            + " release before item-id histories), but the job was given no"
                            + " vocabulary to read them with");
        }
        String[] ids = new String[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            if (indexes[i] < 1 || indexes[i] > legacy.size()) {
                throw new AttnstreamException(
                        "restored history index "
                                + indexes[i]
                                + " is outside the "
                                + legacy.size()
                                + "-item vocabulary it is read with: that is not the vocabulary"
                                + " that wrote it");
            }
            ids[i] = legacy.idOf(indexes[i]);
        }
        return ids;
    }
}
