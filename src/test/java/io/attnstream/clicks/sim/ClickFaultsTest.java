package io.attnstream.clicks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ClickFaultsTest {
    private static final AvroCodec<ClickEvent> CODEC = AvroCodec.of(ClickEvent.class);

    private static ClickEvent event(int k) {
        return ClickEvent.newBuilder()
                .setUserId("u" + k)
                .setEventId("e" + k)
                .setItemId("i" + k)
                .setEventType(ClickEventType.CLICK)
                .setEventTime(Instant.ofEpochMilli(1_000_000L + k))
                .build();
    }

    @Test
    void unknownEventTypeBytesFailToDecodeButAreOtherwiseTheEvent() throws Exception {
        byte[] bytes =
                new ClickEventBytes().encode(event(1), ClickFaults.Encoding.UNKNOWN_EVENT_TYPE);
        assertThatThrownBy(() -> CODEC.decode(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Enumeration out of range");
        GenericRecord r =
                new GenericDatumReader<GenericRecord>(ClickEventBytes.extendedSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(r.get("event_type").toString()).isEqualTo(ClickEventBytes.UNKNOWN_SYMBOL);
        assertThat(r.get("user_id").toString()).isEqualTo("u1");
        assertThat(r.get("event_id").toString()).isEqualTo("e1");

        byte[] truncated = new ClickEventBytes().encode(event(1), ClickFaults.Encoding.TRUNCATED);
        assertThatThrownBy(() -> CODEC.decode(truncated))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
        assertThat(CODEC.decode(new ClickEventBytes().encode(event(1), ClickFaults.Encoding.AVRO)))
                .isEqualTo(event(1));
    }

    @Test
    void noFaultsPassEveryEventUnchanged() {
        ClickFaults f = ClickFaults.none();
        for (int k = 0; k < 100; k++) {
            assertThat(f.offer(event(k)))
                    .containsExactly(new ClickFaults.Emission(event(k), ClickFaults.Encoding.AVRO));
        }
        assertThat(f.flush()).isEmpty();
        assertThat(f.injected())
                .containsOnlyKeys(ClickFaults.KINDS)
                .allSatisfy((k, n) -> assertThat(n).isZero());
    }

    @Test
    void aDuplicateIsTheSameEventResentOneToFiveEventsLater() {
        ClickFaults f = ClickFaults.builder().seed(5).duplicates(0.2).build();
        List<ClickEvent> out = new ArrayList<>();
        for (int k = 0; k < 2000; k++) {
            f.offer(event(k)).forEach(e -> out.add(e.event()));
        }
        f.flush().forEach(e -> out.add(e.event()));
        Map<String, Integer> first = new HashMap<>();
        int resent = 0;
        for (int i = 0; i < out.size(); i++) {
            Integer at = first.putIfAbsent(out.get(i).getEventId(), i);
            if (at != null) {
                resent++;
                assertThat(out.get(i)).isEqualTo(out.get(at));
                assertThat(i - at).isBetween(1, 2 * ClickFaults.MAX_DUPLICATE_DELAY + 1);
            }
        }
        assertThat(first).hasSize(2000);
        assertThat((long) resent)
                .isEqualTo(f.injected().get(ClickFaults.DUPLICATE))
                .isBetween(340L, 460L);
    }

    @Test
    void faultCountsEqualWhatDecodingTheProducedRecordsShows() throws Exception {
        ClickstreamSimulator sim =
                ClickstreamSimulator.builder().users(100).items(300).categories(6).seed(1).build();
        Set<String> catalogue = new HashSet<>(sim.itemIds());
        ClickFaults faults =
                ClickFaults.builder()
                        .seed(11)
                        .duplicates(0.03)
                        .unknownEventType(0.02)
                        .malformedIds(0.02)
                        .undecodable(0.02)
                        .unknownItems(0.03)
                        .build();
        GenericDatumReader<GenericRecord> extended =
                new GenericDatumReader<>(ClickEventBytes.extendedSchema());
        Map<String, Long> seen = new LinkedHashMap<>();
        ClickFaults.KINDS.forEach(k -> seen.put(k, 0L));
        Set<String> ids = new HashSet<>();
        int valid = 0;
        try (ClickEventStream s =
                ClickEventStream.simulated(sim, "t", 1000, faults, CandidateSampler.none())) {
            for (int k = 0; k < 5000; k++) {
                ProducerRecord<byte[], byte[]> r = s.next(s.dueAtMillis(0)).orElseThrow();
                ClickEvent e;
                try {
                    e = CODEC.decode(r.value());
                } catch (IOException ex) {
                    try {
                        GenericRecord g =
                                extended.read(
                                        null, DecoderFactory.get().binaryDecoder(r.value(), null));
                        assertThat(g.get("event_type").toString())
                                .isEqualTo(ClickEventBytes.UNKNOWN_SYMBOL);
                        seen.merge(ClickFaults.UNKNOWN_EVENT_TYPE, 1L, Long::sum);
                    } catch (IOException ex2) {
                        seen.merge(ClickFaults.UNDECODABLE, 1L, Long::sum);
                    }
                    continue;
                }
                valid++;
                if (!ids.add(e.getEventId())) {
                    seen.merge(ClickFaults.DUPLICATE, 1L, Long::sum);
                } else if (e.getUserId().isEmpty() || e.getItemId().isEmpty()) {
                    seen.merge(ClickFaults.MALFORMED_ID, 1L, Long::sum);
                } else if (!catalogue.contains(e.getItemId())) {
                    seen.merge(ClickFaults.UNKNOWN_ITEM, 1L, Long::sum);
                }
            }
        }
        assertThat(seen).isEqualTo(faults.injected());
        assertThat(seen).allSatisfy((kind, n) -> assertThat(n).as(kind).isBetween(50L, 220L));
        assertThat(valid).isGreaterThan(4600);
    }

    @Test
    void sameSeedSameFaults() {
        ClickFaults a =
                ClickFaults.builder()
                        .seed(3)
                        .duplicates(0.1)
                        .malformedIds(0.1)
                        .unknownItems(0.1)
                        .build();
        ClickFaults b =
                ClickFaults.builder()
                        .seed(3)
                        .duplicates(0.1)
                        .malformedIds(0.1)
                        .unknownItems(0.1)
                        .build();
        for (int k = 0; k < 500; k++) {
            assertThat(a.offer(event(k))).isEqualTo(b.offer(event(k)));
        }
        assertThat(a.injected()).isEqualTo(b.injected());
    }

    @Test
    void ratesAreValidated() {
        assertThatThrownBy(() -> ClickFaults.builder().duplicates(0.7).undecodable(0.4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 1");
        assertThatThrownBy(() -> ClickFaults.builder().unknownItems(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
