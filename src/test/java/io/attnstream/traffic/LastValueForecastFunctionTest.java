package io.attnstream.traffic;

import io.attnstream.platform.Sourced;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static io.attnstream.testing.TrafficFixtures.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LastValueForecastFunctionTest {

    @Test
    void forecastRepeatsTheLatestSpeedForEveryStepAndCarriesLineage() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new LastValueForecastFunction(12, 300))) {
            TrafficReading r = reading("s7", 3, 47.25f);
            h.processElement(new Sourced<>(r, "traffic.readings", 1, 99), 0);

            List<TrafficForecast> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            TrafficForecast f = out.get(0);
            assertThat(f.getSpeedsMph()).isEqualTo(Collections.nCopies(12, 47.25f));
            assertThat(f.getSensorId()).isEqualTo("s7");
            assertThat(f.getNetworkId()).isEqualTo("net-1");
            assertThat(f.getEventTime()).isEqualTo(r.getEventTime());
            assertThat(f.getStepSeconds()).isEqualTo(300);
            assertThat(f.getModelName()).isEqualTo("last-value");
            assertThat(f.getModelVersion()).isEqualTo("1");
            assertThat(f.getLineage().getPartition()).isEqualTo(1);
            assertThat(f.getLineage().getOffset()).isEqualTo(99L);
            assertThat(f.getProcessingTime()).isAfterOrEqualTo(r.getEventTime());
        }
    }

    @Test
    void predictionIdIsStableForTheSameInputAndDiffersAcrossInputs() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new LastValueForecastFunction(3, 300))) {
            TrafficReading r = reading("s1", 0, 50f);
            h.processElement(new Sourced<>(r, "traffic.readings", 0, 5), 0);
            h.processElement(new Sourced<>(r, "traffic.readings", 0, 5), 0); // a replay after failure
            h.processElement(new Sourced<>(r, "traffic.readings", 0, 6), 0);
            List<TrafficForecast> out = h.extractOutputValues();
            assertThat(out.get(0).getPredictionId()).isEqualTo(out.get(1).getPredictionId());
            assertThat(out.get(2).getPredictionId()).isNotEqualTo(out.get(0).getPredictionId());
        }
    }

    @Test
    void horizonMustBePositive() {
        assertThatThrownBy(() -> new LastValueForecastFunction(0, 300)).hasMessageContaining("horizon");
    }
}
