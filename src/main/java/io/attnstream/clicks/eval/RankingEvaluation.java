package io.attnstream.clicks.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.clicks.model.SequenceRequest;
import io.attnstream.clicks.model.SequenceTranslator;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Leave-one-out ranking of held-out items, the SASRec paper's protocol, for the model and the
 * most-popular baseline on the same candidates.
 *
 * <ul>
 *   <li>{@link Protocol#SAMPLED_100}: the held-out item against 100 items the user never interacted
 *       with, drawn uniformly from the vocabulary without repetition with a fixed seed (the paper
 *       samples uniformly too; its code draws with repetition, which differs only when a user has
 *       touched most of the catalogue).
 *   <li>{@link Protocol#FULL}: the held-out item against every item in the vocabulary except the
 *       user's other items (the ones in the history and any other item the user touched), since a
 *       recommender would not propose those; the held-out item is ranked even if it also occurs in
 *       the history.
 * </ul>
 *
 * Ties (common for popularity counts) are broken uniformly at random with the protocol's seed, so a
 * constant scorer gets chance-level figures, never a flattering rank 0. A held-out item the model's
 * vocabulary does not know counts as a miss.
 *
 * <p>The model runs as a batched direct forward pass on the streaming translator's layout ({@link
 * SequenceTranslator#toTensors}: (B, T) int64, left-padded), with T the longest history in the
 * batch (at most the model's L): the block aligns positions to the right, so this gives the same
 * scores as padding to L, at a fraction of the cost for short histories. Candidate scores are
 * gathered on the model side.
 */
public final class RankingEvaluation {
    public static final long DEFAULT_SEED = 42;
    public static final int SAMPLED_NEGATIVES = 100;
    private static final int BATCH = 128;

    /** Users with fewer items have no held-out item (as in the paper). */
    public static final int MIN_ITEMS = 3;

    private RankingEvaluation() {}

    public enum Protocol {
        SAMPLED_100("sampled-100"),
        FULL("full");

        private final String label;

        Protocol(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /**
         * @throws AttnstreamException for anything but sampled-100 or full
         */
        public static Protocol parse(String text) {
            for (Protocol p : values()) {
                if (p.label.equalsIgnoreCase(text)) {
                    return p;
                }
            }
            throw new AttnstreamException(
                    "unknown protocol '" + text + "': use sampled-100 or full");
        }
    }

    /**
     * One held-out item to rank.
     *
     * @param history what the model sees, item indexes in time order (unknown items already
     *     dropped)
     * @param target the held-out item's index, or {@link ItemVocabulary#UNKNOWN} if the model does
     *     not know it
     * @param userItems every item index the user interacted with (excluded from the negatives)
     */
    public record Case(int[] history, int target, Set<Integer> userItems) {}

    /**
     * A model as a function of a batch of left-padded histories (B, T) to [scores (B, V+1), ...].
     */
    @FunctionalInterface
    public interface Forward {
        NDList apply(NDList items);
    }

    /**
     * The CLI's entry point: for each user with at least {@value #MIN_ITEMS} items, the last item
     * is the test item and everything before it the history; the model is loaded from {@code
     * modelDir}, and the most-popular baseline counts the items of those histories.
     */
    public static Result evaluate(
            Map<String, List<String>> sequences, Protocol protocol, Path modelDir) {
        return evaluate(sequences, protocol, modelDir, DEFAULT_SEED);
    }

    public static Result evaluate(
            Map<String, List<String>> sequences, Protocol protocol, Path modelDir, long seed) {
        try (LoadedModel model = ModelStore.load(modelDir, Device.cpu())) {
            return evaluate(sequences, protocol, model, seed);
        }
    }

    public static Result evaluate(
            Map<String, List<String>> sequences, Protocol protocol, LoadedModel model, long seed) {
        SequencePreprocessing preprocessing = SequencePreprocessing.of(model.spec(), model.dir());
        ItemVocabulary vocabulary = preprocessing.vocabulary();
        int maxLength = preprocessing.maxLength();
        List<Case> cases = new ArrayList<>();
        List<int[]> histories = new ArrayList<>();
        long skipped = 0;
        for (List<String> items : sequences.values()) {
            if (items.size() < MIN_ITEMS) {
                skipped++;
                continue;
            }
            int[] idx = items.stream().mapToInt(vocabulary::indexOf).toArray();
            int[] history =
                    Arrays.stream(idx, 0, idx.length - 1)
                            .filter(i -> i != ItemVocabulary.UNKNOWN)
                            .toArray();
            Set<Integer> userItems = new HashSet<>();
            for (int i : idx) {
                if (i != ItemVocabulary.UNKNOWN) {
                    userItems.add(i);
                }
            }
            cases.add(new Case(history, idx[idx.length - 1], userItems));
            histories.add(history);
        }
        MostPopular popular = MostPopular.fit(histories.toArray(int[][]::new), vocabulary.size());
        Block block = model.model().getBlock();
        NDManager manager = model.model().getNDManager();
        Forward forward =
                items ->
                        block.forward(
                                new ParameterStore(items.head().getManager(), false), items, false);
        Result r =
                evaluate(
                        cases,
                        protocol,
                        forward,
                        manager,
                        maxLength,
                        vocabulary.size(),
                        popular,
                        seed);
        return r.withSkippedUsers(skipped);
    }

    /**
     * Ranks every case's target with the model and with the baseline (if not null), on the same
     * candidates.
     *
     * @param manager each batch runs in a sub-manager of it, closed afterwards
     * @param maxLength the model's L: longer histories are cut to their last L items
     */
    public static Result evaluate(
            List<Case> cases,
            Protocol protocol,
            Forward model,
            NDManager manager,
            int maxLength,
            int vocabularySize,
            MostPopular popular,
            long seed) {
        int[][] candidates =
                protocol == Protocol.SAMPLED_100
                        ? sampleCandidates(cases, vocabularySize, seed)
                        : null;
        int[] modelRanks = new int[cases.size()];
        int[] popularRanks = new int[cases.size()];
        long unknown = 0;
        // batches of similar history lengths, so little of each (B, T) is padding
        Integer[] order = new Integer[cases.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) ->
                        Integer.compare(
                                Math.min(cases.get(a).history().length, maxLength),
                                Math.min(cases.get(b).history().length, maxLength)));
        List<Integer> batch = new ArrayList<>(BATCH);
        for (int from = 0; from < order.length; from += BATCH) {
            batch.clear();
            for (int i = from; i < Math.min(order.length, from + BATCH); i++) {
                if (cases.get(order[i]).target() == ItemVocabulary.UNKNOWN) {
                    // a miss for both: rank past every cutoff
                    modelRanks[order[i]] = Integer.MAX_VALUE;
                    popularRanks[order[i]] = Integer.MAX_VALUE;
                    unknown++;
                } else {
                    batch.add(order[i]);
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray scores = forward(model, sub, cases, batch, maxLength); // (B, V+1)
                if (candidates != null) {
                    int c = batch.stream().mapToInt(u -> candidates[u].length).max().orElseThrow();
                    float[] gathered = gather(sub, scores, candidates, batch, c); // (B, C)
                    for (int b = 0; b < batch.size(); b++) {
                        int u = batch.get(b);
                        float[] s =
                                Arrays.copyOfRange(gathered, b * c, b * c + candidates[u].length);
                        modelRanks[u] = rank(s, random(seed, u));
                        if (popular != null) {
                            popularRanks[u] = rank(popular.scores(candidates[u]), random(seed, u));
                        }
                    }
                } else {
                    float[] all = scores.toFloatArray(); // (B, V+1)
                    int width = vocabularySize + 1;
                    for (int b = 0; b < batch.size(); b++) {
                        int u = batch.get(b);
                        Case c = cases.get(u);
                        int offset = b * width;
                        modelRanks[u] =
                                fullRank(c, i -> all[offset + i], vocabularySize, random(seed, u));
                        if (popular != null) {
                            popularRanks[u] =
                                    fullRank(c, popular::score, vocabularySize, random(seed, u));
                        }
                    }
                }
            }
        }
        Map<String, RankingMetrics> models = new LinkedHashMap<>();
        models.put("model", metrics(modelRanks));
        if (popular != null) {
            models.put("most-popular", metrics(popularRanks));
        }
        return new Result(
                protocol.label(),
                protocol == Protocol.SAMPLED_100 ? SAMPLED_NEGATIVES : -1,
                seed,
                cases.size(),
                0,
                unknown,
                models);
    }

    /**
     * Per case: the target first, then {@value #SAMPLED_NEGATIVES} distinct items drawn uniformly
     * from 1..V without any of the user's items (fewer if the user has touched almost everything).
     * One seeded stream per case, so a case's candidates do not depend on the others.
     */
    static int[][] sampleCandidates(List<Case> cases, int vocabularySize, long seed) {
        int[][] out = new int[cases.size()][];
        for (int u = 0; u < cases.size(); u++) {
            Case c = cases.get(u);
            SplittableRandom random = random(seed, u).split();
            int available =
                    vocabularySize
                            - (int)
                                    c.userItems().stream()
                                            .filter(i -> i >= 1 && i <= vocabularySize)
                                            .count();
            int n = Math.min(SAMPLED_NEGATIVES, Math.max(0, available));
            int[] cand = new int[n + 1];
            cand[0] = c.target();
            Set<Integer> drawn = new HashSet<>();
            for (int k = 1; k <= n; ) {
                int item = 1 + random.nextInt(vocabularySize);
                if (!c.userItems().contains(item) && drawn.add(item)) {
                    cand[k++] = item;
                }
            }
            out[u] = cand;
        }
        return out;
    }

    /**
     * 0-based rank of scores[0] among all scores: those strictly higher, plus a random share of the
     * ties.
     */
    static int rank(float[] scores, SplittableRandom random) {
        float target = scores[0];
        int higher = 0;
        int ties = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > target) {
                higher++;
            } else if (scores[i] == target) {
                ties++;
            }
        }
        return higher + (ties == 0 ? 0 : random.nextInt(ties + 1));
    }

    private interface ItemScore {
        float of(int item);
    }

    /** The rank against every item 1..V except the user's items other than the target. */
    private static int fullRank(
            Case c, ItemScore score, int vocabularySize, SplittableRandom random) {
        float target = score.of(c.target());
        int higher = 0;
        int ties = 0;
        for (int i = 1; i <= vocabularySize; i++) {
            if (i == c.target() || c.userItems().contains(i)) {
                continue;
            }
            float s = score.of(i);
            if (s > target) {
                higher++;
            } else if (s == target) {
                ties++;
            }
        }
        return higher + (ties == 0 ? 0 : random.nextInt(ties + 1));
    }

    private static SplittableRandom random(long seed, int caseIndex) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + caseIndex);
    }

    /** One forward pass over the batch's histories, left-padded to the longest one (at most L). */
    private static NDArray forward(
            Forward model,
            NDManager manager,
            List<Case> cases,
            List<Integer> batch,
            int maxLength) {
        int t = 1;
        List<SequenceRequest> requests = new ArrayList<>(batch.size());
        for (int u : batch) {
            int[] h = cases.get(u).history();
            t = Math.max(t, Math.min(h.length, maxLength));
            requests.add(new SequenceRequest(h, null));
        }
        NDList input = new SequenceTranslator(t, 0).toTensors(manager, requests); // (B, T) int64
        return model.apply(input).get(0); // (B, V+1)
    }

    /**
     * scores[b, candidates[b][j]] as a flat (B, C) array, one gather on the model side; C is the
     * longest list (a user who touched almost every item has fewer negatives), shorter rows are
     * padded with item 0, unused.
     */
    private static float[] gather(
            NDManager manager, NDArray scores, int[][] candidates, List<Integer> batch, int c) {
        long[] index = new long[batch.size() * c];
        for (int b = 0; b < batch.size(); b++) {
            int[] cand = candidates[batch.get(b)];
            for (int j = 0; j < cand.length; j++) {
                index[b * c + j] = cand[j];
            }
        }
        return scores.gather(manager.create(index, new Shape(batch.size(), c)), 1)
                .toFloatArray(); // (B, C)
    }

    private static RankingMetrics metrics(int[] ranks) {
        RankingMetrics.Accumulator a = new RankingMetrics.Accumulator();
        for (int r : ranks) {
            a.add(r);
        }
        return a.metrics();
    }

    /**
     * An evaluation's outcome: one {@link RankingMetrics} per model, as an aligned table and as
     * JSON.
     *
     * @param negatives sampled negatives per user (100), or -1 for the full protocol
     * @param users users ranked (held-out items)
     * @param skippedUsers users with fewer than {@value #MIN_ITEMS} items, not ranked
     * @param unknownTargets held-out items the model's vocabulary does not know (counted as misses)
     */
    public record Result(
            String protocol,
            int negatives,
            long seed,
            long users,
            long skippedUsers,
            long unknownTargets,
            Map<String, RankingMetrics> models) {

        public RankingMetrics model() {
            return models.get("model");
        }

        public RankingMetrics mostPopular() {
            return models.get("most-popular");
        }

        Result withSkippedUsers(long skipped) {
            return new Result(protocol, negatives, seed, users, skipped, unknownTargets, models);
        }

        public void printTable(PrintWriter out) {
            out.printf(
                    Locale.ROOT,
                    "protocol %s, %d users (%d skipped with < %d items, %d unknown test items)%n",
                    protocol,
                    users,
                    skippedUsers,
                    MIN_ITEMS,
                    unknownTargets);
            out.printf(
                    Locale.ROOT,
                    "%-13s %7s %7s %7s %8s %8s %8s%n",
                    "model",
                    "HR@5",
                    "HR@10",
                    "HR@20",
                    "NDCG@5",
                    "NDCG@10",
                    "NDCG@20");
            for (Map.Entry<String, RankingMetrics> e : models.entrySet()) {
                RankingMetrics m = e.getValue();
                out.printf(
                        Locale.ROOT,
                        "%-13s %7.4f %7.4f %7.4f %8.4f %8.4f %8.4f%n",
                        e.getKey(),
                        m.hr5(),
                        m.hr10(),
                        m.hr20(),
                        m.ndcg5(),
                        m.ndcg10(),
                        m.ndcg20());
            }
            out.flush();
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("protocol", protocol);
            json.put("sampled_negatives", negatives < 0 ? null : negatives);
            json.put("seed", seed);
            json.put("users", users);
            json.put("skipped_users", skippedUsers);
            json.put("unknown_test_items", unknownTargets);
            Map<String, Object> m = new LinkedHashMap<>();
            models.forEach((k, v) -> m.put(k, v.toJson()));
            json.put("models", m);
            return json;
        }

        public void writeJson(Path file) {
            try {
                new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValue(file.toFile(), toJson());
            } catch (IOException e) {
                throw new AttnstreamException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
