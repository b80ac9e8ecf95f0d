package io.attnstream.traffic.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadingFaultsTest {
    private static final int READINGS = 20_000;

    /** Readings 10 s apart in event time, cycling over 5 sensors. */
    private static final long SPACING = 10_000;

    private static List<ReadingFaults.Reading> readings() {
        List<ReadingFaults.Reading> out = new ArrayList<>();
        for (int k = 0; k < READINGS; k++) {
            out.add(
                    new ReadingFaults.Reading(
                            "s00" + (k % 5), 1_000_000 + k * SPACING, 50f + k % 7));
        }
        return out;
    }

    private static List<ReadingFaults.Emission> run(ReadingFaults faults) {
        List<ReadingFaults.Emission> out = new ArrayList<>();
        for (ReadingFaults.Reading r : readings()) {
            out.addAll(faults.offer(r));
        }
        out.addAll(faults.flush());
        return out;
    }

    @Test
    void withoutFaultsEveryReadingPassesUnchangedAndInOrder() {
        ReadingFaults none = ReadingFaults.none();

        List<ReadingFaults.Emission> out = run(none);

        assertThat(out).hasSize(READINGS);
        List<ReadingFaults.Reading> in = readings();
        for (int k = 0; k < READINGS; k += 997) {
            assertThat(out.get(k)).isEqualTo(ReadingFaults.Emission.of(in.get(k)));
        }
        assertThat(none.injected())
                .containsOnlyKeys(
                        ReadingFaults.OUT_OF_ORDER,
                        ReadingFaults.LATE,
                        ReadingFaults.MISSING,
                        ReadingFaults.INVALID_NAN,
                        ReadingFaults.INVALID_NEGATIVE,
                        ReadingFaults.INVALID_TOO_FAST,
                        ReadingFaults.INVALID_UNKNOWN_SENSOR,
                        ReadingFaults.INVALID_UNDECODABLE);
        assertThat(none.injected().values()).containsOnly(0L);
    }

    @Test
    void missingReadingsAreDroppedAtTheConfiguredRateAndCounted() {
        ReadingFaults faults = ReadingFaults.builder().seed(1).missing(0.05).build();

        List<ReadingFaults.Emission> out = run(faults);

        long dropped = faults.injected().get(ReadingFaults.MISSING);
        assertThat(out).hasSize(READINGS - (int) dropped);
        assertThat(dropped / (double) READINGS).isBetween(0.045, 0.055);
    }

    @Test
    void invalidReadingsCycleThroughTheKinds() {
        ReadingFaults faults = ReadingFaults.builder().seed(2).invalid(0.05).build();

        List<ReadingFaults.Emission> out = run(faults);

        List<ReadingFaults.Emission> bad =
                out.stream()
                        .filter(
                                e ->
                                        e.undecodable()
                                                || !(e.speedMph() >= 0)
                                                || e.speedMph() > 200
                                                || e.sensorId()
                                                        .equals(ReadingFaults.UNKNOWN_SENSOR))
                        .toList();
        assertThat(out).hasSize(READINGS);
        assertThat((long) bad.size()).isEqualTo(faults.injectedInvalid());
        assertThat(bad.size() / (double) READINGS).isBetween(0.045, 0.055);
        assertThat(Float.isNaN(bad.get(0).speedMph())).isTrue();
        assertThat(bad.get(1).speedMph()).isNegative();
        assertThat(bad.get(2).speedMph()).isGreaterThan(200f);
        assertThat(bad.get(3).sensorId()).isEqualTo("x999");
        assertThat(bad.get(4).undecodable()).isTrue();
        Map<String, Long> injected = faults.injected();
        for (String kind : ReadingFaults.INVALID_KINDS) {
            assertThat(injected.get(kind)).as(kind).isBetween(bad.size() / 5L, bad.size() / 5L + 1);
        }
    }

    @Test
    void outOfOrderReadingsArriveAfterNewerOnesButWithinTheBound() {
        Duration bound = Duration.ofSeconds(45);
        ReadingFaults faults = ReadingFaults.builder().seed(3).outOfOrder(0.05, bound).build();

        List<ReadingFaults.Emission> out = run(faults);

        assertThat(out).hasSize(READINGS);
        long inversions = 0;
        long newest = Long.MIN_VALUE;
        for (ReadingFaults.Emission e : out) {
            if (e.eventMillis() < newest) {
                inversions++;
                assertThat(newest - e.eventMillis()).isLessThanOrEqualTo(bound.toMillis());
            }
            newest = Math.max(newest, e.eventMillis());
        }
        assertThat(inversions).isEqualTo(faults.injected().get(ReadingFaults.OUT_OF_ORDER));
        assertThat(inversions / (double) READINGS).isBetween(0.04, 0.055);
        assertThat(faults.injected().get(ReadingFaults.LATE)).isZero();
    }

    @Test
    void lateReadingsArriveAtLeastLateByBehindTheNewest() {
        Duration lateBy = Duration.ofMinutes(15);
        ReadingFaults faults = ReadingFaults.builder().seed(4).late(0.02, lateBy).build();

        List<ReadingFaults.Emission> out = run(faults);

        assertThat(out).as("nothing lost").hasSize(READINGS);
        Set<Long> times = new HashSet<>();
        long late = 0;
        long merelyOutOfOrder = 0;
        long newest = Long.MIN_VALUE;
        long lastEvent = readings().get(READINGS - 1).eventMillis();
        for (ReadingFaults.Emission e : out) {
            times.add(e.eventMillis());
            if (newest != Long.MIN_VALUE && newest - e.eventMillis() >= lateBy.toMillis()) {
                late++;
            } else if (e.eventMillis() < newest) {
                // Held back when the stream ended, so flushed less than lateBy behind: out of
                // order, not late.
                merelyOutOfOrder++;
                assertThat(e.eventMillis()).isGreaterThan(lastEvent - lateBy.toMillis());
            }
            newest = Math.max(newest, e.eventMillis());
        }
        assertThat(times).hasSize(READINGS);
        assertThat(late).isEqualTo(faults.injected().get(ReadingFaults.LATE));
        assertThat(merelyOutOfOrder).isEqualTo(faults.injected().get(ReadingFaults.OUT_OF_ORDER));
        assertThat(late / (double) READINGS).isBetween(0.015, 0.025);
    }

    @Test
    void isDeterministicForASeed() {
        ReadingFaults.Builder all =
                ReadingFaults.builder()
                        .seed(9)
                        .missing(0.02)
                        .invalid(0.02)
                        .late(0.01, Duration.ofMinutes(15))
                        .outOfOrder(0.03, Duration.ofSeconds(30));
        ReadingFaults a = all.build();
        ReadingFaults b = all.build();
        ReadingFaults c = all.seed(10).build();

        List<ReadingFaults.Emission> outA = run(a);

        assertThat(run(b)).isEqualTo(outA);
        assertThat(b.injected()).isEqualTo(a.injected());
        assertThat(run(c)).isNotEqualTo(outA);
        assertThat(a.injected().values()).allMatch(v -> v > 0);
    }

    @Test
    void ratesMustBeProbabilities() {
        assertThatThrownBy(() -> ReadingFaults.builder().missing(0.6).invalid(0.6).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 1");
        assertThatThrownBy(() -> ReadingFaults.builder().missing(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
