package io.attnstream.traffic.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.traffic.model.Adjacency;
import org.junit.jupiter.api.Test;

class RoadNetworkTest {
    private final RoadNetwork net = new RoadNetwork(20, 3, 11L);

    @Test
    void corridorsAreContiguousDirectedChains() {
        assertThat(net.corridors()).isEqualTo(3);
        assertThat(net.corridorLength(0) + net.corridorLength(1) + net.corridorLength(2))
                .isEqualTo(20);
        int first = net.sensorAt(1, 0);
        assertThat(net.corridorOf(first)).isEqualTo(1);
        assertThat(net.positionOf(first)).isZero();
        assertThat(net.upstream(first)).as("a corridor starts with no upstream").isEqualTo(-1);
        assertThat(net.downstream(first)).isEqualTo(first + 1);
        assertThat(net.upstream(first + 1)).isEqualTo(first);
        int last = net.sensorAt(1, net.corridorLength(1) - 1);
        assertThat(net.downstream(last)).isEqualTo(-1);
        assertThat(net.downstream(first - 1))
                .as("corridors do not run into each other")
                .isEqualTo(-1);
    }

    @Test
    void crossLinksJoinDifferentCorridors() {
        assertThat(net.crossLinks()).hasSize(3); // 0-1, 1-2 and the ring link 2-0
        for (int[] link : net.crossLinks()) {
            assertThat(net.corridorOf(link[0])).isNotEqualTo(net.corridorOf(link[1]));
            assertThat(net.crossLinked(link[0], link[1])).isTrue();
            assertThat(net.crossLinked(link[1], link[0])).isTrue();
            assertThat(net.hops(link[0], link[1])).isEqualTo(1);
            assertThat(net.neighbours(link[0])).contains(link[1]);
        }
    }

    @Test
    void adjacencyWeighsByHopsLikeLosLoop() {
        Adjacency a = net.adjacency();
        float[][] w = a.weights();

        assertThat(a.isSymmetric()).isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(w[i][i]).isEqualTo(1f);
            assertThat(a.neighbours(i)).as("sensor %d has neighbours", i).isNotEmpty();
            for (int j = 0; j < 20; j++) {
                assertThat(w[i][j]).isGreaterThanOrEqualTo(0f);
                int h = net.hops(i, j);
                if (h == 1) {
                    assertThat(w[i][j]).isEqualTo(1f);
                } else if (h == 2) {
                    assertThat((double) w[i][j])
                            .isCloseTo(Math.exp(-Math.pow(1 / 1.5, 2)), within(1e-6));
                } else if (h > RoadNetwork.MAX_HOPS) {
                    assertThat(w[i][j]).isZero();
                }
            }
        }
        int s = net.sensorAt(0, 1);
        assertThat(w[s][s + 1]).as("corridor neighbours").isEqualTo(1f);
    }

    @Test
    void rejectsMoreCorridorsThanSensors() {
        assertThatThrownBy(() -> new RoadNetwork(2, 3, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
