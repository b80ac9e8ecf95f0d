package io.attnstream.clicks.train;

import io.attnstream.clicks.data.LeaveOneOut;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The users that teach next-item prediction: those with at least two training items, with their
 * items in time order and as a sorted set (negatives are sampled outside it).
 */
final class NextItemExamples {
    final int[][] users; // training items, time order
    final int[][] sortedItems; // the same, sorted and distinct
    final int vocabularySize;

    NextItemExamples(LeaveOneOut split) {
        List<int[]> seqs = new ArrayList<>();
        for (int[] t : split.train()) {
            if (t.length >= 2) {
                seqs.add(t);
            }
        }
        users = seqs.toArray(int[][]::new);
        sortedItems = new int[users.length][];
        for (int u = 0; u < users.length; u++) {
            sortedItems[u] = Arrays.stream(users[u]).distinct().sorted().toArray();
        }
        vocabularySize = split.vocabulary().size();
    }
}
