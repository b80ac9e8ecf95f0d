package io.attnstream.traffic.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.eval.ForecastEvaluation;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class RoadNetworkSimulatorTest {
    private static final int DAY = 288;

    private static RoadNetworkSimulator.Builder base() {
        return RoadNetworkSimulator.builder().sensors(20).corridors(3).seed(5);
    }

    /** Mean true speed over all sensors at a time of day (in steps) on the given days. */
    private static double meanAt(RoadNetworkSimulator sim, int stepOfDay, int... days) {
        double sum = 0;
        int n = 0;
        for (int d : days) {
            for (int i = 0; i < sim.sensors(); i++) {
                sum += sim.speedAt(i, (long) d * DAY + stepOfDay);
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void describesItsNetworkAndClock() {
        RoadNetworkSimulator sim =
                base().start(Instant.parse("2024-03-04T00:00:00Z")).stepSeconds(300).build();

        assertThat(sim.sensorIds()).hasSize(20).startsWith("s000", "s001").endsWith("s019");
        assertThat(sim.startEpochMillis())
                .isEqualTo(Instant.parse("2024-03-04T00:00:00Z").toEpochMilli());
        assertThat(sim.stepSeconds()).isEqualTo(300);
        assertThat(sim.adjacency().size()).isEqualTo(20);
        assertThat(sim.simulate(5).sensorIds()).isEqualTo(sim.sensorIds());
    }

    @Test
    void isDeterministicForASeedAndReadableInAnyOrder() {
        SpeedMatrix a = base().missingRate(0.05).build().simulate(2 * DAY);
        SpeedMatrix b = base().missingRate(0.05).build().simulate(2 * DAY);
        SpeedMatrix other = base().seed(6).missingRate(0.05).build().simulate(2 * DAY);

        assertThat(Arrays.deepEquals(a.speeds(), b.speeds())).isTrue();
        assertThat(Arrays.deepEquals(a.speeds(), other.speeds())).isFalse();
        RoadNetworkSimulator backwards = base().missingRate(0.05).build();
        for (int t = 2 * DAY - 1; t >= 0; t -= 37) {
            for (int i = 0; i < 20; i++) {
                float v = a.speeds()[t][i];
                if (!Float.isNaN(v)) {
                    assertThat(backwards.speedAt(i, t)).as("sensor %d step %d", i, t).isEqualTo(v);
                }
            }
        }
    }

    @Test
    void speedsStayInAPlausibleRange() {
        SpeedMatrix m = base().missingRate(0).build().simulate(7 * DAY);
        for (float[] row : m.speeds()) {
            for (float v : row) {
                assertThat(v)
                        .isBetween(RoadNetworkSimulator.MIN_SPEED, RoadNetworkSimulator.MAX_SPEED);
            }
        }
    }

    @Test
    void weekdayRushHoursAreSlowerThanTheNight() {
        // 2024-01-01 is a Monday: days 0-4 and 7-11 are weekdays.
        RoadNetworkSimulator sim = base().incidentsPerDay(0).build();
        int[] weekdays = {0, 1, 2, 3, 4, 7, 8, 9, 10, 11};

        double night = meanAt(sim, 3 * 12, weekdays); // 03:00
        double morning = meanAt(sim, 8 * 12, weekdays); // 08:00
        double evening = meanAt(sim, 17 * 12 + 6, weekdays); // 17:30

        assertThat(morning).isLessThan(night - 6);
        assertThat(evening).isLessThan(night - 6);
    }

    @Test
    void weekendsHaveNoMorningRush() {
        RoadNetworkSimulator sim = base().incidentsPerDay(0).build();

        double weekday = meanAt(sim, 8 * 12, 0, 1, 2, 3, 4, 7, 8, 9, 10, 11);
        double weekend = meanAt(sim, 8 * 12, 5, 6, 12, 13);
        double weekendNight = meanAt(sim, 3 * 12, 5, 6, 12, 13);

        assertThat(weekend).isGreaterThan(weekday + 5);
        assertThat(weekend).isCloseTo(weekendNight, Assertions.within(1.5));
    }

    @Test
    void anIncidentSlowsItsSensorAndThenTheUpstreamOneButNotTheDownstreamOne() {
        RoadNetworkSimulator with = base().sensors(30).incidentsPerDay(6).missingRate(0).build();
        RoadNetworkSimulator without = base().sensors(30).incidentsPerDay(0).missingRate(0).build();
        RoadNetwork net = with.network();
        RoadNetworkSimulator.Incident inc =
                with.incidents(0, 14 * DAY).stream()
                        .filter(
                                i ->
                                        net.upstream(i.sensor()) >= 0
                                                && net.downstream(i.sensor()) >= 0)
                        .filter(i -> isolated(with, i))
                        .findFirst()
                        .orElseThrow();
        int k = inc.sensor();
        long t0 = inc.startStep();

        // Same seed: every other component is identical, so the difference is the incident alone.
        assertThat(diff(with, without, k, t0 - 1)).isZero();
        assertThat(diff(with, without, k, t0 + 1))
                .as("the incident sensor slows at once")
                .isLessThan(-5f);
        long firstUpstream = firstSlowdown(with, without, k - 1, t0, t0 + 10);
        assertThat(firstUpstream - t0)
                .as("the queue reaches the upstream sensor a step or two later")
                .isBetween(1L, 2L);
        assertThat(firstUpstream - t0).isEqualTo(inc.stepsPerHop());
        assertThat(diff(with, without, k - 1, firstUpstream + 1)).isLessThan(-3f);
        float worstDownstream = 0;
        float worstUpstream = 0;
        for (long t = t0; t < t0 + inc.durationSteps(); t++) {
            worstDownstream = Math.min(worstDownstream, diff(with, without, k + 1, t));
            worstUpstream = Math.min(worstUpstream, diff(with, without, k - 1, t));
        }
        assertThat(worstDownstream)
                .as("downstream is not held up")
                .isGreaterThan(worstUpstream / 4);
        long end =
                t0
                        + inc.durationSteps()
                        + inc.stepsPerHop()
                        + RoadNetworkSimulator.RECOVERY_STEPS
                        + 1;
        assertThat(diff(with, without, k, end)).as("recovered").isZero();
    }

    private static boolean isolated(RoadNetworkSimulator sim, RoadNetworkSimulator.Incident inc) {
        RoadNetwork net = sim.network();
        int k = inc.sensor();
        boolean crossLinked =
                net.crossLinks().stream()
                        .anyMatch(
                                l ->
                                        l[0] == k
                                                || l[1] == k
                                                || l[0] == k - 1
                                                || l[1] == k - 1
                                                || l[0] == k + 1
                                                || l[1] == k + 1);
        return !crossLinked
                && sim.incidents(inc.startStep() - 60, inc.startStep() + 60).stream()
                        .noneMatch(
                                o -> o != inc && net.corridorOf(o.sensor()) == net.corridorOf(k));
    }

    private static float diff(
            RoadNetworkSimulator with, RoadNetworkSimulator without, int sensor, long step) {
        return with.speedAt(sensor, step) - without.speedAt(sensor, step);
    }

    private static long firstSlowdown(
            RoadNetworkSimulator with,
            RoadNetworkSimulator without,
            int sensor,
            long from,
            long to) {
        for (long t = from; t < to; t++) {
            if (diff(with, without, sensor, t) < -0.5f) {
                return t;
            }
        }
        return -1;
    }

    @Test
    void bottleneckWavesReachUpstreamSensorsTwoStepsPerHopLater() {
        RoadNetworkSimulator sim = base().build();
        RoadNetwork net = sim.network();
        int corridor = -1;
        int bottleneck = -1;
        for (int c = 0; c < net.corridors() && corridor < 0; c++) {
            for (int p = net.corridorLength(c) - 1; p >= 1; p--) {
                int s = net.sensorAt(c, p);
                // The bottleneck is the most downstream sensor whose wave equals its upstream
                // neighbour's, 2 steps on.
                if (sim.wave(s, 100) == sim.wave(s - 1, 102)
                        && sim.wave(s, 100) != sim.wave(s - 1, 100)) {
                    corridor = c;
                    bottleneck = s;
                    break;
                }
            }
        }
        assertThat(bottleneck)
                .as("a corridor with a bottleneck past its first sensor")
                .isGreaterThanOrEqualTo(0);
        for (long t = 50; t < 400; t += 7) {
            assertThat(sim.wave(bottleneck - 1, t + RoadNetworkSimulator.WAVE_STEPS_PER_HOP))
                    .isEqualTo(sim.wave(bottleneck, t));
        }
    }

    @Test
    void dropoutsMatchTheConfiguredRateAndIncludeOutages() {
        SpeedMatrix m = base().missingRate(0.02).build().simulate(14 * DAY);
        double rate = m.missingCount() / (double) (m.steps() * m.sensors());

        assertThat(rate).isBetween(0.016, 0.024);
        assertThat(longestMissingRun(m))
                .as("some multi-step outage")
                .isGreaterThanOrEqualTo(RoadNetworkSimulator.MIN_OUTAGE_STEPS);
        assertThat(base().missingRate(0).build().simulate(2 * DAY).missingCount()).isZero();
    }

    private static int longestMissingRun(SpeedMatrix m) {
        int longest = 0;
        for (int i = 0; i < m.sensors(); i++) {
            int run = 0;
            for (float[] row : m.speeds()) {
                run = Float.isNaN(row[i]) ? run + 1 : 0;
                longest = Math.max(longest, run);
            }
        }
        return longest;
    }

    @Test
    void smoothingTheWindowBeatsLastValueBecauseReadingsAreNoisy() {
        RoadNetworkSimulator sim = base().build();
        SpeedMatrix test = sim.simulate(7 * DAY);
        ForecastEvaluation.Forecaster meanOfLastThree =
                (w, start, step, horizon) -> {
                    float[] last = ForecastEvaluation.LAST_VALUE.forecast(w, start, step, 1)[0];
                    float[][] out = new float[horizon][last.length];
                    for (int i = 0; i < last.length; i++) {
                        double sum = 0;
                        int n = 0;
                        for (int t = w.length - 3; t < w.length; t++) {
                            if (!Float.isNaN(w[t][i])) {
                                sum += w[t][i];
                                n++;
                            }
                        }
                        for (int h = 0; h < horizon; h++) {
                            out[h][i] = n == 0 ? last[i] : (float) (sum / n);
                        }
                    }
                    return out;
                };

        ForecastEvaluation.Result r =
                ForecastEvaluation.evaluate(
                        test,
                        sim.startEpochMillis(),
                        300,
                        12,
                        new int[] {3},
                        Map.of(
                                "last-value",
                                ForecastEvaluation.LAST_VALUE,
                                "mean-of-3",
                                meanOfLastThree));

        double lastValue = r.metrics("last-value").get(0).rmse();
        assertThat(lastValue)
                .as("last value at 15 min, in the range of real loop data")
                .isBetween(3.5, 6.5);
        assertThat(r.metrics("mean-of-3").get(0).rmse()).isLessThan(0.95 * lastValue);
    }

    @Test
    void builderRejectsBadSettings() {
        assertThatThrownBy(() -> RoadNetworkSimulator.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sensors");
        assertThatThrownBy(() -> base().stepSeconds(7).build())
                .hasMessageContaining("divide a day");
        assertThatThrownBy(() -> base().missingRate(0.9).build())
                .hasMessageContaining("missingRate");
        assertThatThrownBy(() -> base().incidentsPerDay(-1).build())
                .hasMessageContaining("incidentsPerDay");
        assertThatThrownBy(() -> base().corridors(21).build()).hasMessageContaining("corridors");
    }
}
