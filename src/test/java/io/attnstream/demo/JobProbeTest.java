package io.attnstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Against the shape of Flink 2.2's {@code GET /jobs/<id>/checkpoints} answer (abridged from a demo
 * run).
 */
class JobProbeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode checkpoints(String counts, String e2e) throws Exception {
        return JSON.readTree(
                "{\"counts\":"
                        + counts
                        + ",\"summary\":{\"end_to_end_duration\":"
                        + e2e
                        + "},"
                        + "\"latest\":{\"completed\":null},\"history\":[]}");
    }

    @Test
    void notReadyWhileTheFirstCheckpointIsStillInProgress() throws Exception {
        JsonNode c =
                checkpoints(
                        "{\"restored\":0,\"total\":6,\"in_progress\":1,\"completed\":0,\"failed\":5}",
                        "{\"min\":0,\"max\":0,\"avg\":0,\"p50\":\"NaN\","
                            + "\"p90\":\"NaN\",\"p95\":\"NaN\",\"p99\":\"NaN\",\"p999\":\"NaN\"}");

        assertThat(JobProbe.ready(c)).isFalse();
        JobProbe.Checkpoints k = JobProbe.checkpoints(c);
        assertThat(k.completed()).isZero();
        assertThat(k.failed()).isEqualTo(5);
        assertThat(k.p50Millis()).isEqualTo(-1);
        assertThat(k.p99Millis()).isEqualTo(-1);
    }

    @Test
    void readyOnceACheckpointCompletedWithItsDurations() throws Exception {
        JsonNode c =
                checkpoints(
                        "{\"restored\":0,\"total\":118,\"in_progress\":1,\"completed\":113,\"failed\":4}",
                        "{\"min\":45,\"max\":1351,\"avg\":310,\"p50\":255.0,"
                                + "\"p90\":700.5,\"p95\":900.0,\"p99\":1332.4,\"p999\":1351.0}");

        assertThat(JobProbe.ready(c)).isTrue();
        JobProbe.Checkpoints k = JobProbe.checkpoints(c);
        assertThat(k).isEqualTo(new JobProbe.Checkpoints(113, 4, 255, 1332, 1351));
    }
}
