package io.attnstream.clicks.eval;

import static io.attnstream.clicks.eval.RankingEvaluation.Protocol.FULL;
import static io.attnstream.clicks.eval.RankingEvaluation.Protocol.SAMPLED_100;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.inference.DjlEngine;
import io.attnstream.platform.AttnstreamException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RankingEvaluationTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * A stand-in model whose score of item i is i for every user (higher ids rank first); checks
     * the input.
     */
    private static RankingEvaluation.Forward idScorer(int vocabularySize, List<long[]> seenInputs) {
        return items -> {
            NDArray in = items.singletonOrThrow(); // (B, T)
            seenInputs.add(in.toLongArray());
            int b = (int) in.getShape().get(0);
            float[] scores = new float[b * (vocabularySize + 1)];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i <= vocabularySize; i++) {
                    scores[r * (vocabularySize + 1) + i] = i;
                }
            }
            return new NDList(in.getManager().create(scores, new Shape(b, vocabularySize + 1)));
        };
    }

    private static RankingEvaluation.Forward constantScorer(int vocabularySize) {
        return items -> {
            long b = items.head().getShape().get(0);
            return new NDList(items.head().getManager().ones(new Shape(b, vocabularySize + 1)));
        };
    }

    private static Set<Integer> set(int... items) {
        return Arrays.stream(items).boxed().collect(Collectors.toSet());
    }

    private static List<RankingEvaluation.Case> randomCases(
            int users, int vocabularySize, int itemsPerUser, long seed) {
        Random random = new Random(seed);
        List<RankingEvaluation.Case> cases = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int[] items = random.ints(itemsPerUser, 1, vocabularySize + 1).toArray();
            cases.add(
                    new RankingEvaluation.Case(
                            Arrays.copyOf(items, items.length - 1),
                            items[items.length - 1],
                            set(items)));
        }
        return cases;
    }

    @Test
    void sampledNegativesAreHundredDistinctItemsTheUserNeverTouched() {
        List<RankingEvaluation.Case> cases = randomCases(200, 300, 40, 1);
        int[][] candidates = RankingEvaluation.sampleCandidates(cases, 300, 42);

        for (int u = 0; u < cases.size(); u++) {
            RankingEvaluation.Case c = cases.get(u);
            int[] cand = candidates[u];
            assertThat(cand).hasSize(101);
            assertThat(cand[0]).isEqualTo(c.target());
            int[] negatives = Arrays.copyOfRange(cand, 1, cand.length);
            assertThat(negatives).doesNotHaveDuplicates();
            assertThat(Arrays.stream(negatives).boxed().toList()).allMatch(i -> i >= 1 && i <= 300);
            assertThat(Arrays.stream(negatives).boxed().filter(c.userItems()::contains)).isEmpty();
        }
    }

    @Test
    void sampledNegativesDependOnTheSeedOnly() {
        List<RankingEvaluation.Case> cases = randomCases(50, 1000, 5, 1);

        int[][] once = RankingEvaluation.sampleCandidates(cases, 1000, 42);
        int[][] again = RankingEvaluation.sampleCandidates(cases, 1000, 42);
        int[][] other = RankingEvaluation.sampleCandidates(cases, 1000, 43);
        // a case's negatives do not depend on the cases before it
        int[][] tail = RankingEvaluation.sampleCandidates(cases.subList(0, 10), 1000, 42);

        assertThat(again).isDeepEqualTo(once);
        assertThat(Arrays.equals(once[0], other[0])).isFalse();
        assertThat(tail[9]).containsExactly(once[9]);
    }

    @Test
    void aUserWhoTouchedAlmostEverythingGetsTheRemainingItemsAsNegatives() {
        int[] touched = IntStream.rangeClosed(1, 10).toArray();
        List<RankingEvaluation.Case> cases =
                List.of(new RankingEvaluation.Case(new int[] {1, 2}, 3, set(touched)));

        int[] cand = RankingEvaluation.sampleCandidates(cases, 105, 42)[0];

        assertThat(cand).hasSize(96);
        assertThat(Arrays.copyOfRange(cand, 1, 96))
                .containsExactlyInAnyOrder(IntStream.rangeClosed(11, 105).toArray());
    }

    @Test
    void fullProtocolRanksAgainstAllItemsExceptTheUsersOthers() {
        List<long[]> inputs = new ArrayList<>();
        // scores = item ids, V = 10; user 0: target 5, other items 3, 9 -> higher: 6 7 8 10 -> rank
        // 4 user 1: target 10 -> rank 0
        List<RankingEvaluation.Case> cases =
                List.of(
                        new RankingEvaluation.Case(new int[] {3, 9}, 5, set(3, 9, 5)),
                        new RankingEvaluation.Case(new int[] {2}, 10, set(2, 10)));

        RankingEvaluation.Result r =
                RankingEvaluation.evaluate(
                        cases, FULL, idScorer(10, inputs), manager, 50, 10, null, 42);

        RankingMetrics m = r.model();
        assertThat(m.users()).isEqualTo(2);
        assertThat(m.hr5()).isEqualTo(1.0);
        assertThat(m.ndcg5()).isCloseTo((1 + 1 / (Math.log(6) / Math.log(2))) / 2, within(1e-12));
        assertThat(r.mostPopular()).isNull();
        assertThat(r.negatives()).isEqualTo(-1);
    }

    @Test
    void batchesAreLeftPaddedToTheLongestHistoryCutToTheModelsLength() {
        List<long[]> inputs = new ArrayList<>();
        List<RankingEvaluation.Case> cases =
                List.of(
                        new RankingEvaluation.Case(
                                new int[] {1, 2, 3, 4, 5}, 6, set(1, 2, 3, 4, 5, 6)),
                        new RankingEvaluation.Case(new int[] {7}, 8, set(7, 8)));

        RankingEvaluation.evaluate(cases, FULL, idScorer(10, inputs), manager, 3, 10, null, 42);

        // sorted by length: the short history first; T = min(longest, L = 3)
        assertThat(inputs).hasSize(1);
        assertThat(inputs.get(0)).containsExactly(0, 0, 7, 3, 4, 5);
    }

    @Test
    void sampledProtocolGathersTheCandidatesScores() {
        List<long[]> inputs = new ArrayList<>();
        List<RankingEvaluation.Case> cases = randomCases(300, 500, 8, 3);
        int[][] candidates = RankingEvaluation.sampleCandidates(cases, 500, 42);
        RankingMetrics.Accumulator expected = new RankingMetrics.Accumulator();
        for (int[] cand : candidates) {
            int target = cand[0];
            expected.add((int) Arrays.stream(cand, 1, cand.length).filter(i -> i > target).count());
        }

        RankingEvaluation.Result r =
                RankingEvaluation.evaluate(
                        cases, SAMPLED_100, idScorer(500, inputs), manager, 50, 500, null, 42);

        assertThat(r.model()).isEqualTo(expected.metrics());
        assertThat(r.negatives()).isEqualTo(100);
        assertThat(inputs).hasSize(3); // 300 users in batches of 128
    }

    @Test
    void mostPopularRanksByTrainingCountsOnTheSameCandidates() {
        // counts: item 1 x3, item 2 x2, item 3 x1, items 4..6 never
        MostPopular popular = MostPopular.fit(new int[][] {{1, 1, 2}, {1, 2, 3}}, 6);
        List<RankingEvaluation.Case> cases =
                List.of(
                        // target 2, the user's other item 3 excluded: only item 1 scores higher ->
                        // rank 1
                        new RankingEvaluation.Case(new int[] {3}, 2, set(3, 2)),
                        // target 1 -> rank 0
                        new RankingEvaluation.Case(new int[] {4}, 1, set(4, 1)));

        RankingEvaluation.Result r =
                RankingEvaluation.evaluate(
                        cases, FULL, constantScorer(6), manager, 50, 6, popular, 42);

        assertThat(popular.scores(new int[] {1, 2, 3, 4})).containsExactly(3f, 2f, 1f, 0f);
        assertThat(r.mostPopular()).isEqualTo(RankingMetrics.of(1, 0));
    }

    @Test
    void tiesAreBrokenAtRandomSoAConstantScorerIsAtChance() {
        List<RankingEvaluation.Case> cases = randomCases(3000, 2000, 5, 5);

        RankingEvaluation.Result r =
                RankingEvaluation.evaluate(
                        cases,
                        SAMPLED_100,
                        constantScorer(2000),
                        manager,
                        50,
                        2000,
                        MostPopular.fit(new int[0][], 2000),
                        42);

        // chance: 10 of 101 positions
        assertThat(r.model().hr10()).isCloseTo(10 / 101.0, within(0.02));
        assertThat(r.mostPopular().hr10()).isCloseTo(10 / 101.0, within(0.02));
    }

    @Test
    void unknownTestItemIsAMissForBoth() {
        List<RankingEvaluation.Case> cases =
                List.of(
                        new RankingEvaluation.Case(new int[] {1}, ItemVocabulary.UNKNOWN, set(1)),
                        new RankingEvaluation.Case(new int[] {1}, 10, set(1, 10)));

        RankingEvaluation.Result r =
                RankingEvaluation.evaluate(
                        cases,
                        FULL,
                        idScorer(10, new ArrayList<>()),
                        manager,
                        50,
                        10,
                        MostPopular.fit(new int[][] {{10}}, 10),
                        42);

        assertThat(r.unknownTargets()).isEqualTo(1);
        assertThat(r.model()).isEqualTo(RankingMetrics.of(Integer.MAX_VALUE, 0));
        assertThat(r.mostPopular()).isEqualTo(RankingMetrics.of(Integer.MAX_VALUE, 0));
    }

    @Test
    void tableAndJsonNameTheProtocolAndEveryModel() {
        RankingEvaluation.Result r =
                new RankingEvaluation.Result(
                        "sampled-100",
                        100,
                        42,
                        2,
                        1,
                        0,
                        new LinkedHashMap<>(Map.of("model", RankingMetrics.of(0, 12))));
        StringWriter text = new StringWriter();

        r.printTable(new PrintWriter(text));

        assertThat(text.toString())
                .isEqualTo(
                        String.format(
                                "protocol sampled-100, 2 users (1 skipped with < 3 items, 0 unknown"
                                    + " test items)%nmodel            HR@5   HR@10   HR@20   NDCG@5"
                                    + "  NDCG@10  NDCG@20%nmodel          0.5000  0.5000  1.0000  "
                                    + " 0.5000   0.5000   0.6313%n"));
        assertThat(r.toJson())
                .containsEntry("protocol", "sampled-100")
                .containsEntry("sampled_negatives", 100)
                .containsEntry("skipped_users", 1L);
    }

    @Test
    void protocolParsesItsLabelsAndRejectsOthers() {
        assertThat(RankingEvaluation.Protocol.parse("sampled-100")).isEqualTo(SAMPLED_100);
        assertThat(RankingEvaluation.Protocol.parse("FULL")).isEqualTo(FULL);
        assertThatThrownBy(() -> RankingEvaluation.Protocol.parse("sampled-50"))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("unknown protocol 'sampled-50': use sampled-100 or full");
    }

    @SuppressWarnings("unused")
    private static Set<Integer> none() {
        return new HashSet<>();
    }
}
