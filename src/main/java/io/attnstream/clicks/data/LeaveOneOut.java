package io.attnstream.clicks.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leave-one-out split of the SASRec paper: per user, the last item is the test item, the second
 * to last the validation item, and the rest is training. Users with fewer than 3 items keep
 * everything in training (they have no held-out item). The vocabulary covers every item seen in any
 * part, so a held-out item always has an index.
 *
 * <p>Users and items are sorted by id, so the split and the item indexes do not depend on the map's
 * iteration order. Item indexes are 1..V ({@link ItemVocabulary}); 0 in {@link #validation} or
 * {@link #test} means "none".
 *
 * @param users user ids, sorted
 * @param train per user, the training items in time order (as vocabulary indexes)
 * @param validation per user, the validation item, or 0
 * @param test per user, the test item, or 0
 */
public record LeaveOneOut(
        ItemVocabulary vocabulary,
        List<String> users,
        int[][] train,
        int[] validation,
        int[] test) {

    /** Splits user -> items (time order). Empty sequences are dropped. */
    public static LeaveOneOut split(Map<String, List<String>> sequences) {
        Set<String> items = new TreeSet<>();
        Map<String, List<String>> sorted = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : sequences.entrySet()) {
            if (!e.getValue().isEmpty()) {
                sorted.put(e.getKey(), e.getValue());
                items.addAll(e.getValue());
            }
        }
        ItemVocabulary vocabulary = ItemVocabulary.of(new ArrayList<>(items));
        int n = sorted.size();
        List<String> users = new ArrayList<>(sorted.keySet());
        int[][] train = new int[n][];
        int[] validation = new int[n];
        int[] test = new int[n];
        int u = 0;
        for (List<String> seq : sorted.values()) {
            int[] idx = seq.stream().mapToInt(vocabulary::indexOf).toArray();
            if (idx.length < 3) {
                train[u] = idx;
            } else {
                train[u] = Arrays.copyOf(idx, idx.length - 2);
                validation[u] = idx[idx.length - 2];
                test[u] = idx[idx.length - 1];
            }
            u++;
        }
        return new LeaveOneOut(vocabulary, List.copyOf(users), train, validation, test);
    }

    public int userCount() {
        return users.size();
    }

    /** What the model sees when predicting the validation item: the training items. */
    public int[] validationHistory(int user) {
        return train[user];
    }

    /**
     * What the model sees when predicting the test item: training + validation items, as in the
     * paper.
     */
    public int[] testHistory(int user) {
        if (validation[user] == 0) {
            return train[user];
        }
        int[] h = Arrays.copyOf(train[user], train[user].length + 1);
        h[h.length - 1] = validation[user];
        return h;
    }

    /** Every item the user interacted with, in any part. */
    public Set<Integer> itemsOf(int user) {
        Set<Integer> set = new HashSet<>();
        for (int i : train[user]) {
            set.add(i);
        }
        if (validation[user] != 0) {
            set.add(validation[user]);
        }
        if (test[user] != 0) {
            set.add(test[user]);
        }
        return set;
    }
}
