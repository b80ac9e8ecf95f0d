package io.attnstream.clicks.model;

/**
 * A scoring request in item ids, as a user's history keeps them: the recent items (oldest first,
 * the current one last) and, optionally, candidate items whose scores are wanted. The ids are
 * turned into the indexes of one model version's vocabulary only when the request is encoded (by
 * {@link ItemHistoryTranslator}), so a history outlives the model that first scored it.
 */
public final class ItemHistory {
    final String[] items;
    final String[] candidates;

    /** The indexes of the version that last encoded this request (see the translator). */
    transient Object encodedBy;

    transient SequenceRequest encoded;
    transient int unknownItems;

    public ItemHistory(String[] items, String[] candidates) {
        this.items = items;
        this.candidates = candidates == null ? new String[0] : candidates;
    }

    public String[] items() {
        return items;
    }

    public String[] candidates() {
        return candidates;
    }
}
