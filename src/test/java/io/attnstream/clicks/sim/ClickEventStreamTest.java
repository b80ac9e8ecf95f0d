package io.attnstream.clicks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.clicks.data.Interactions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickEventStreamTest {
    private static final AvroCodec<ClickEvent> CODEC = AvroCodec.of(ClickEvent.class);
    private static final long WALL = 5_000_000L;

    private static ClickEvent decode(ProducerRecord<byte[], byte[]> r) throws Exception {
        return CODEC.decode(r.value());
    }

    private static ProducerRecord<byte[], byte[]> take(ClickEventStream s, long now) {
        return s.next(now).orElseThrow();
    }

    @Test
    void replayWithTimesMergesUsersByTimeAndPacesBySpeedup() throws Exception {
        long t0 = Instant.parse("2016-05-09T00:00:00Z").toEpochMilli();
        Interactions in =
                Interactions.builder()
                        .add("a", "x", ClickEventType.VIEW, t0)
                        .add("b", "y", ClickEventType.PURCHASE, t0 + 60_000)
                        .add("a", "z", ClickEventType.ADD_TO_CART, t0 + 120_000)
                        .build();
        try (ClickEventStream s =
                ClickEventStream.replay(
                        in, "clicks.events", 60, ClickFaults.none(), CandidateSampler.none())) {
            assertThat(s.dueAtMillis(WALL)).isEqualTo(WALL);
            ProducerRecord<byte[], byte[]> r1 = take(s, WALL);
            assertThat(s.dueAtMillis(WALL + 10))
                    .isEqualTo(WALL + 1000); // 60 s of event time at 60x
            ProducerRecord<byte[], byte[]> r2 = take(s, WALL + 1000);
            assertThat(s.dueAtMillis(WALL + 1000)).isEqualTo(WALL + 2000);
            ProducerRecord<byte[], byte[]> r3 = take(s, WALL + 2000);
            assertThat(s.next(WALL + 2000)).isEmpty();

            assertThat(r1.topic()).isEqualTo("clicks.events");
            assertThat(new String(r1.key(), StandardCharsets.UTF_8)).isEqualTo("a");
            assertThat(new String(r2.key(), StandardCharsets.UTF_8)).isEqualTo("b");
            assertThat(r2.timestamp()).isEqualTo(t0 + 60_000);
            ClickEvent e2 = decode(r2);
            assertThat(e2.getItemId()).isEqualTo("y");
            assertThat(e2.getEventType()).isEqualTo(ClickEventType.PURCHASE);
            assertThat(e2.getEventTime()).isEqualTo(Instant.ofEpochMilli(t0 + 60_000));
            assertThat(e2.getCandidates()).isEmpty();
            assertThat(List.of(decode(r1).getEventId(), e2.getEventId(), decode(r3).getEventId()))
                    .containsExactly("e0", "e1", "e2");
            assertThat(decode(r3).getEventType()).isEqualTo(ClickEventType.ADD_TO_CART);
            assertThat(s.events()).isEqualTo(3);
            assertThat(s.emitted()).isEqualTo(3);
        }
    }

    @Test
    void replayWithoutTimesLetsUsersTakeTurnsAtSyntheticTimes() throws Exception {
        Map<String, List<String>> seqs = new LinkedHashMap<>();
        seqs.put("1", List.of("a", "b", "c"));
        seqs.put("2", List.of("d"));
        seqs.put("3", List.of("e", "f"));
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        try (ClickEventStream s =
                ClickEventStream.replay(
                        Interactions.of(seqs),
                        "t",
                        0,
                        start,
                        Duration.ofSeconds(2),
                        ClickFaults.none(),
                        CandidateSampler.none())) {
            List<String> sent = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            while (true) {
                assertThat(s.dueAtMillis(WALL))
                        .isLessThanOrEqualTo(WALL); // speedup 0: everything due at once
                var r = s.next(WALL);
                if (r.isEmpty()) {
                    break;
                }
                ClickEvent e = decode(r.get());
                sent.add(e.getUserId() + ":" + e.getItemId());
                times.add(r.get().timestamp());
                assertThat(e.getEventType()).isEqualTo(ClickEventType.VIEW);
            }
            assertThat(sent).containsExactly("1:a", "2:d", "3:e", "1:b", "3:f", "1:c");
            long t = start.toEpochMilli();
            assertThat(times)
                    .containsExactly(t, t + 2000, t + 4000, t + 6000, t + 8000, t + 10_000);
        }
    }

    @Test
    void simulatedStreamRunsOnTheWallClockAtTheGivenRate() throws Exception {
        ClickstreamSimulator sim =
                ClickstreamSimulator.builder().users(50).items(200).categories(5).seed(3).build();
        try (ClickEventStream s =
                ClickEventStream.simulated(
                        sim, "clicks.events", 200, ClickFaults.none(), CandidateSampler.none())) {
            Set<String> ids = new HashSet<>();
            for (int k = 0; k < 1000; k++) {
                long due = s.dueAtMillis(WALL);
                assertThat(due).isEqualTo(WALL + 5L * k); // 200 events/s
                ProducerRecord<byte[], byte[]> r = take(s, due);
                ClickEvent e = decode(r);
                assertThat(r.timestamp()).isEqualTo(due);
                assertThat(e.getEventTime().toEpochMilli()).isEqualTo(due); // event time = now
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.getUserId());
                assertThat(e.getUserId()).matches("u\\d{4}");
                assertThat(e.getItemId()).matches("i\\d{5}");
                assertThat(e.getSessionId()).startsWith(e.getUserId() + "-s");
                assertThat(e.getEventId()).isEqualTo("e" + Long.toString(WALL, 36) + "-" + k);
                ids.add(e.getEventId());
            }
            assertThat(ids).hasSize(1000);
        }
    }

    @Test
    void digineticaReplayKeysAnonymousSessionsAndKeepsHistoricalTimes(@TempDir Path dir)
            throws Exception {
        Path f =
                Files.writeString(
                        dir.resolve("views.csv"),
                        "session_id;user_id;item_id;timeframe;eventdate\n"
                                + "1;NA;81766;526309;2016-05-09\n"
                                + "2;7;500;100;2016-05-09\n"
                                + "1;NA;31331;243569;2016-05-09\n");
        try (ClickEventStream s =
                ClickEventStream.replay(
                        Interactions.readDiginetica(f),
                        "t",
                        1000,
                        ClickFaults.none(),
                        CandidateSampler.none())) {
            long day = Instant.parse("2016-05-09T00:00:00Z").toEpochMilli();
            List<String> keys = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            List<Long> dues = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                long due = s.dueAtMillis(WALL);
                dues.add(due);
                ProducerRecord<byte[], byte[]> r = take(s, due);
                keys.add(new String(r.key(), StandardCharsets.UTF_8));
                times.add(r.timestamp() - day);
                assertThat(decode(r).getEventType()).isEqualTo(ClickEventType.VIEW);
            }
            assertThat(keys).containsExactly("7", "s1", "s1");
            assertThat(times).containsExactly(100L, 243_569L, 526_309L);
            // 1000x: 243.469 s of event time after the first event is 243 ms of wall time
            assertThat(dues).containsExactly(WALL, WALL + 243, WALL + 526);
        }
    }

    @Test
    void aShareOfEventsCarriesFiveDistinctCandidatesMixingPopularAndRandomItems() throws Exception {
        ClickstreamSimulator sim =
                ClickstreamSimulator.builder().users(50).items(500).categories(5).seed(3).build();
        CandidateSampler sampler = CandidateSampler.of(sim, 0.3, 9);
        Set<String> popularPool = new HashSet<>();
        for (int c = 0; c < 5; c++) {
            popularPool.addAll(
                    sim.itemsByPopularity(c)
                            .subList(0, 4)); // the 20 most popular: 4 ranks x 5 categories
        }
        try (ClickEventStream s =
                ClickEventStream.simulated(sim, "t", 1000, ClickFaults.none(), sampler)) {
            int with = 0;
            int popular = 0;
            for (int k = 0; k < 2000; k++) {
                ClickEvent e = decode(take(s, s.dueAtMillis(WALL)));
                if (!e.getCandidates().isEmpty()) {
                    with++;
                    assertThat(e.getCandidates())
                            .hasSize(5)
                            .doesNotHaveDuplicates()
                            .doesNotContain(e.getItemId());
                    popular +=
                            (int) e.getCandidates().stream().filter(popularPool::contains).count();
                }
            }
            assertThat(with / 2000.0).isBetween(0.26, 0.34);
            // 2 from the pool by construction, plus ~3 * 20/500 by chance
            assertThat((double) popular / with).isBetween(2.0, 2.3);
        }
    }
}
