package io.attnstream.traffic.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.inference.Inference;
import io.attnstream.platform.PredictionIds;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.SensorWeight;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficPrediction;
import io.attnstream.traffic.model.TrafficWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A scored window split into shards where it was scored, each shard published by the assembler
 * subtask it is routed to: together they publish one forecast and one attention record per sensor,
 * with the window's prediction ids, and each sensor always from the same subtask.
 */
class ForecastShardingTest {
    private static final int N = 5;
    private static final int H = 3;
    private static final int T = 4;
    private static final int K = 2;
    private static final int P = 2;
    private static final List<String> SENSORS = List.of("s0", "s1", "s2", "s3", "s4");

    private static Inference<TrafficWindow, TrafficPrediction> scored() {
        TrafficWindow w = new TrafficWindow();
        w.networkId = "net-1";
        w.eventTime = TrafficFixtures.T0.toEpochMilli();
        w.stepSeconds = 300;
        w.sensors = N;
        w.speeds = new float[T * N];
        w.closedAt = w.eventTime + 400_000;
        w.topic = "traffic.readings";
        w.partition = 1;
        w.offset = 99;
        TrafficPrediction p = new TrafficPrediction();
        p.horizon = H;
        p.sensors = N;
        p.steps = T;
        p.topK = K;
        p.speeds = new float[H * N];
        for (int i = 0; i < p.speeds.length; i++) {
            p.speeds[i] = 40 + i; // (H, N): speed(h, n) = 40 + h N + n
        }
        p.temporal = new float[N * T];
        for (int i = 0; i < p.temporal.length; i++) {
            p.temporal[i] = i / 100f;
        }
        p.topSensors = new int[N * K];
        p.topWeights = new float[N * K];
        for (int n = 0; n < N; n++) {
            p.topSensors[n * K] = (n + 1) % N;
            p.topSensors[n * K + 1] = (n + 2) % N;
            p.topWeights[n * K] = 0.6f;
            p.topWeights[n * K + 1] = 0.3f;
        }
        p.imputed = new int[] {0, 2, 0, 1, 0};
        p.sensorIds = SENSORS.toArray(new String[0]);
        Inference<TrafficWindow, TrafficPrediction> in = new Inference<>();
        in.input = w;
        in.output = p;
        in.modelName = "tf";
        in.modelVersion = "3";
        return in;
    }

    @Test
    void shardsPublishEachSensorOnceWithTheWindowsPredictionIds() throws Exception {
        Inference<TrafficWindow, TrafficPrediction> in = scored();
        List<ForecastShard> shards;
        try (var sharder =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new ForecastSharder()), P, P, 0)) {
            sharder.open();
            sharder.processElement(in, 1);
            shards = sharder.extractOutputValues();
        }
        assertThat(shards).extracting(s -> s.shard).containsExactly(0, 1);
        assertThat(shards)
                .extracting(s -> s.key)
                .as("the shard keys of P %d", P)
                .containsExactly(ShardKeys.of(P, P).key(0), ShardKeys.of(P, P).key(1));

        Map<String, TrafficForecast> forecasts = new HashMap<>();
        Map<String, TrafficAttention> attention = new HashMap<>();
        Map<String, Integer> publisher = new HashMap<>();
        int assemblerStateEntries = 0;
        for (ForecastShard shard : shards) {
            // The job's keyBy: Flink's key-group assignment of the shard's key, for the sharder's
            // max parallelism.
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(shard.key, P, P);
            try (var assembler =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(new ForecastAssembler()),
                            (ForecastShard f) -> f.key,
                            Types.INT,
                            P,
                            P,
                            subtask)) {
                assembler.open();
                assembler.processElement(shard, 1);
                for (TrafficForecast f : assembler.extractOutputValues()) {
                    assertThat(forecasts.put(f.getSensorId(), f))
                            .as("one forecast per sensor")
                            .isNull();
                    publisher.put(f.getSensorId(), subtask);
                }
                for (StreamRecord<TrafficAttention> a :
                        assembler.getSideOutput(ForecastAssembler.ATTENTION)) {
                    attention.put(a.getValue().getSensorId(), a.getValue());
                }
                assemblerStateEntries +=
                        assembler.numKeyedStateEntries()
                                + assembler.numEventTimeTimers()
                                + assembler.numProcessingTimeTimers();
            }
        }

        assertThat(assemblerStateEntries).as("the assembler is keyed only for routing").isZero();
        assertThat(forecasts.keySet()).containsExactlyInAnyOrderElementsOf(SENSORS);
        assertThat(attention.keySet()).containsExactlyInAnyOrderElementsOf(SENSORS);
        TrafficWindow w = in.input;
        TrafficPrediction p = in.output;
        String windowId =
                PredictionIds.of(
                        "tf", "3", new Lineage("traffic.readings", 1, 99L), "net-1@" + w.eventTime);
        for (int n = 0; n < N; n++) {
            String sensor = SENSORS.get(n);
            TrafficForecast f = forecasts.get(sensor);
            assertThat(publisher.get(sensor))
                    .as("sensor n is published by subtask n mod P")
                    .isEqualTo(n % P);
            assertThat(f.getPredictionId()).isEqualTo(windowId + "/" + sensor);
            List<Float> speeds = new ArrayList<>();
            for (int h = 0; h < H; h++) {
                speeds.add(p.speed(h, n));
            }
            assertThat(f.getSpeedsMph()).isEqualTo(speeds);
            assertThat(f.getInputsImputed()).isEqualTo(p.imputed[n]);
            assertThat(f.getModelName()).isEqualTo("tf");
            assertThat(f.getModelVersion()).isEqualTo("3");
            assertThat(f.getNetworkId()).isEqualTo("net-1");
            assertThat(f.getEventTime().toEpochMilli()).isEqualTo(w.eventTime);
            assertThat(f.getWindowClosedTime().toEpochMilli()).isEqualTo(w.closedAt);
            assertThat(f.getStepSeconds()).isEqualTo(300);
            assertThat(f.getLineage()).isEqualTo(new Lineage("traffic.readings", 1, 99L));

            TrafficAttention a = attention.get(sensor);
            assertThat(a.getPredictionId()).isEqualTo(f.getPredictionId());
            List<Float> temporal = new ArrayList<>();
            for (int t = 0; t < T; t++) {
                temporal.add(p.temporal[n * T + t]);
            }
            assertThat(a.getTemporalWeights()).isEqualTo(temporal);
            assertThat(a.getTopSensors())
                    .containsExactly(
                            new SensorWeight(SENSORS.get((n + 1) % N), 0.6f),
                            new SensorWeight(SENSORS.get((n + 2) % N), 0.3f));
        }
    }

    @Test
    void moreSubtasksThanSensorsSendNoEmptyShards() throws Exception {
        Inference<TrafficWindow, TrafficPrediction> in = scored();
        try (var sharder =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new ForecastSharder()), 8, 8, 3)) {
            sharder.open();
            sharder.processElement(in, 1);
            List<ForecastShard> shards = sharder.extractOutputValues();
            assertThat(shards).extracting(s -> s.shard).containsExactly(0, 1, 2, 3, 4);
            assertThat(shards).allSatisfy(s -> assertThat(s.sensors).hasSize(1));
        }
    }
}
