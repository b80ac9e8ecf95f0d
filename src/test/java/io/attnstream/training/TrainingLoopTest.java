package io.attnstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.attnstream.platform.AttnstreamException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop itself, on a one-weight linear block learning y = 2x with SGD: non-finite steps,
 * divergence, the best epoch's parameters, the time budget and validation cadence. The clock is the
 * test's: it moves only when the task says a batch or a validation took time.
 */
class TrainingLoopTest {
    private static final int BATCHES = 4;
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong();
    private Model model;
    private Trainer trainer;

    @BeforeEach
    void setUp() {
        model = Model.newInstance("loop-test");
        model.setBlock(Linear.builder().setUnits(1).optBias(false).build());
        trainer =
                model.newTrainer(
                        new DefaultTrainingConfig(new PoisonableL2())
                                .optOptimizer(
                                        Optimizer.sgd()
                                                .setLearningRateTracker(Tracker.fixed(0.5f))
                                                .build()));
        trainer.initialize(new Shape(4, 1));
        setWeight(0f);
    }

    @AfterEach
    void tearDown() {
        trainer.close();
        model.close();
    }

    @Test
    void aNaNGradientWithAFiniteLossIsSkippedAndZeroedAndTrainingGoesOn() {
        Line task = new Line();
        task.poisoned.add(2); // the third step of the run: its loss is finite, its gradient NaN
        TrainingLoop.Outcome<Double> outcome =
                loop(new TrainingBudget(3, 10, 1, 0))
                        .run(
                                trainer,
                                task,
                                new Random(1),
                                clock.get(),
                                new TrainingLoop.Listener<>() {});

        assertThat(outcome.skippedBatches()).isEqualTo(1);
        // weight before each step: the poisoned step 2 left it as it was, and the gradient was zero
        // after it
        assertThat(task.weightBefore.get(3)).isEqualTo(task.weightBefore.get(2));
        assertThat(task.gradientBefore.get(3)).isZero();
        assertThat(task.weightBefore.get(4)).isNotEqualTo(task.weightBefore.get(3));
        assertThat(task.weightBefore).allSatisfy(w -> assertThat(w).isFinite());
        assertThat(outcome.epochs())
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.trainLoss()).isFinite());
        assertThat(weight()).as("learnt y = 2x").isCloseTo(2f, within(0.05f));
    }

    @Test
    void aRunOfNonFiniteStepsStopsWithOneClearError() {
        Line task = new Line();
        for (int s = 0; s < 100; s++) {
            task.poisoned.add(s);
        }
        TrainingLoop loop = loop(new TrainingBudget(20, 10, 1, 0, 6));
        assertThatThrownBy(
                        () ->
                                loop.run(
                                        trainer,
                                        task,
                                        new Random(1),
                                        clock.get(),
                                        new TrainingLoop.Listener<>() {}))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "training diverged: 6 batches in a row with a non-finite loss or gradient"
                                + " (epoch 2); try a lower learning rate");
        assertThat(weight()).isZero();
    }

    @Test
    void theBestEpochsParametersAreTheModelsAtTheEnd() {
        Line task = new Line();
        task.scores = new double[] {1, 3, 2, 0}; // epoch 2 is the best, later ones are worse
        TrainingLoop.Outcome<Double> outcome =
                loop(new TrainingBudget(4, 10, 1, 0))
                        .run(
                                trainer,
                                task,
                                new Random(1),
                                clock.get(),
                                new TrainingLoop.Listener<>() {});

        assertThat(outcome.epochs()).hasSize(4);
        assertThat(outcome.best().epoch()).isEqualTo(2);
        assertThat(outcome.epochs())
                .extracting(EpochResult::improved)
                .containsExactly(true, true, false, false);
        assertThat(task.weightAtValidation.get(1)).isNotEqualTo(task.weightAtValidation.get(3));
        assertThat(weight()).isEqualTo(task.weightAtValidation.get(1));
    }

    @Test
    void patienceStopsARunThatNoLongerImproves() {
        Line task = new Line();
        task.scores = new double[] {5, 1, 1, 1, 1, 1};
        TrainingLoop.Outcome<Double> outcome =
                loop(new TrainingBudget(6, 2, 1, 0))
                        .run(
                                trainer,
                                task,
                                new Random(1),
                                clock.get(),
                                new TrainingLoop.Listener<>() {});
        assertThat(outcome.epochs()).hasSize(3);
        assertThat(outcome.best().epoch()).isEqualTo(1);
    }

    /**
     * A one-minute budget, 10 s per batch, 5 s per validation: epoch 1 ends at 45 s; epoch 2 has
     * room for one batch (55 s) before the last validation's 5 s would overrun, is validated as it
     * is, and the run ends at the budget.
     */
    @Test
    void theTimeBudgetEndsTheEpochLeavingRoomForItsValidation() {
        Line task = new Line();
        task.batchSeconds = 10;
        task.validationSeconds = 5;
        long started = clock.get();
        TrainingLoop.Outcome<Double> outcome =
                loop(new TrainingBudget(50, 50, 1, 1.0))
                        .run(
                                trainer,
                                task,
                                new Random(1),
                                started,
                                new TrainingLoop.Listener<>() {});

        assertThat(outcome.epochs()).extracting(EpochResult::batches).containsExactly(BATCHES, 1);
        assertThat(outcome.epochs().get(1).validation()).isNotNull();
        assertThat((clock.get() - started) / (double) SECOND).isEqualTo(60.0);
    }

    @Test
    void validatesEveryNthEpochTheFirstAndTheLast() {
        Line task = new Line();
        TrainingLoop.Outcome<Double> outcome =
                loop(new TrainingBudget(5, 10, 2, 0))
                        .run(
                                trainer,
                                task,
                                new Random(1),
                                clock.get(),
                                new TrainingLoop.Listener<>() {});
        List<Boolean> validated =
                outcome.epochs().stream().map(e -> e.validation() != null).toList();
        assertThat(validated).containsExactly(true, true, false, true, true);
    }

    @Test
    void theRateControlHearsEveryStepAndValidation() {
        List<Long> steps = new ArrayList<>();
        List<Boolean> validations = new ArrayList<>();
        Line task = new Line();
        task.scores = new double[] {1, 0};
        RateControl control =
                new RateControl() {
                    @Override
                    public void beforeStep(long step, double done) {
                        steps.add(step);
                        assertThat(done).isEqualTo(step / (2.0 * BATCHES));
                    }

                    @Override
                    public void validated(int epoch, boolean improved) {
                        validations.add(improved);
                    }
                };
        new TrainingLoop(new TrainingBudget(2, 10, 1, 0), control, clock::get)
                .run(trainer, task, new Random(1), clock.get(), new TrainingLoop.Listener<>() {});
        assertThat(steps).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(validations).containsExactly(true, false);
    }

    private TrainingLoop loop(TrainingBudget budget) {
        return new TrainingLoop(budget, RateControl.FIXED, clock::get);
    }

    private Parameter weightParameter() {
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            return p.getValue();
        }
        throw new IllegalStateException("no parameter");
    }

    private float weight() {
        return weightParameter().getArray().getFloat();
    }

    private void setWeight(float w) {
        NDArray array = weightParameter().getArray();
        array.set(new NDIndex("..."), w);
    }

    /**
     * y = 2x on four fixed batches of four points; records the weight (and its gradient) before
     * every step and at every validation. A poisoned step's loss gets sqrt(0 * prediction): the
     * value 0, the gradient NaN.
     */
    private final class Line implements TrainingTask<Double> {
        final Set<Integer> poisoned = new HashSet<>();
        final List<Float> weightBefore = new ArrayList<>();
        final List<Float> gradientBefore = new ArrayList<>();
        final List<Float> weightAtValidation = new ArrayList<>();
        double[] scores;
        long batchSeconds;
        long validationSeconds;
        private int step;

        @Override
        public int startEpoch(int epoch, Random random) {
            return BATCHES;
        }

        @Override
        public TrainingBatch batch(NDManager manager, int index, Random random) {
            clock.addAndGet(batchSeconds * SECOND);
            weightBefore.add(weight());
            Parameter w = weightParameter();
            gradientBefore.add(
                    w.getArray().hasGradient() ? Parameters.gradient(w, manager).getFloat() : 0f);
            float[] x = new float[4];
            float[] y = new float[4];
            for (int i = 0; i < 4; i++) {
                x[i] = (index * 4 + i + 1) / 16f;
                y[i] = 2 * x[i];
            }
            boolean poison = poisoned.contains(step++);
            return new TrainingBatch(
                    new NDList(manager.create(x, new Shape(4, 1))), // (B, 1)
                    new NDList(
                            manager.create(y, new Shape(4, 1)), manager.create(poison ? 1f : 0f)),
                    4);
        }

        @Override
        public Double validate(Trainer trainer) {
            clock.addAndGet(validationSeconds * SECOND);
            weightAtValidation.add(weight());
            int n = weightAtValidation.size();
            return scores != null ? scores[n - 1] : -Math.abs(weight() - 2.0);
        }

        @Override
        public double score(Double validation) {
            return validation;
        }
    }

    /** Mean squared error; with a poison flag of 1 in the labels, plus sqrt(0 * prediction sum). */
    private static final class PoisonableL2 extends Loss {
        PoisonableL2() {
            super("poisonable-l2");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray p = predictions.singletonOrThrow(); // (B, 1)
            NDArray loss = p.sub(labels.get(0)).square().mean(); // ()
            if (labels.get(1).getFloat() > 0) {
                loss = loss.add(p.mul(0).sum().sqrt()); // value 0, gradient 0 * inf = NaN
            }
            return loss;
        }
    }
}
