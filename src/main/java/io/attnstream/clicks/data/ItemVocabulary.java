package io.attnstream.clicks.data;

import io.attnstream.platform.AttnstreamException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Item ids as the model knows them: index 1..V (0 is padding). Either a list of item ids from
 * training (index = position + 1) or, for models trained on numeric ids, the ids themselves. Items
 * the model never saw map to {@link #UNKNOWN}: they are left out of the history and cannot be
 * recommended.
 */
public final class ItemVocabulary implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int UNKNOWN = 0;

    private final int size;
    private final List<String> ids; // null: numeric ids
    private transient Map<String, Integer> index;

    private ItemVocabulary(int size, List<String> ids) {
        this.size = size;
        this.ids = ids;
    }

    public static ItemVocabulary numeric(int size) {
        return new ItemVocabulary(size, null);
    }

    public static ItemVocabulary of(List<String> ids) {
        return new ItemVocabulary(ids.size(), List.copyOf(ids));
    }

    /**
     * From a model.json "preprocessing" section: {"item_ids": "numeric", "vocabulary_size": V} or
     * {"vocabulary": [...]}.
     */
    @SuppressWarnings("unchecked")
    public static ItemVocabulary fromPreprocessing(Map<String, Object> p) {
        if (p != null && p.get("vocabulary") instanceof List<?> list) {
            return of((List<String>) list);
        }
        if (p != null
                && "numeric".equals(p.get("item_ids"))
                && p.get("vocabulary_size") instanceof Number n) {
            return numeric(n.intValue());
        }
        throw new AttnstreamException(
                "model.json preprocessing has neither a vocabulary nor numeric item ids with a"
                        + " vocabulary_size");
    }

    public Map<String, Object> toPreprocessing() {
        return ids == null
                ? Map.of("item_ids", "numeric", "vocabulary_size", size)
                : Map.of("vocabulary", ids);
    }

    /** V: the largest index. */
    public int size() {
        return size;
    }

    public int indexOf(String itemId) {
        if (ids == null) {
            try {
                int i = Integer.parseInt(itemId);
                return i >= 1 && i <= size ? i : UNKNOWN;
            } catch (NumberFormatException e) {
                return UNKNOWN;
            }
        }
        if (index == null) {
            Map<String, Integer> m = new HashMap<>(ids.size() * 2);
            for (int i = 0; i < ids.size(); i++) {
                m.put(ids.get(i), i + 1);
            }
            index = m;
        }
        return index.getOrDefault(itemId, UNKNOWN);
    }

    public String idOf(int index) {
        if (index < 1 || index > size) {
            throw new IllegalArgumentException("item index " + index + " outside 1.." + size);
        }
        return ids == null ? Integer.toString(index) : ids.get(index - 1);
    }
}
