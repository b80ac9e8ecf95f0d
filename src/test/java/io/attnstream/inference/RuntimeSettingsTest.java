package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {
    @Test
    void aFamilysDefaultsApplyOnlyWhereNeitherTheGeneralNorThePerModelKeyIsSet() {
        Configuration none = new Configuration();
        RuntimeSettings family = RuntimeSettings.from(none, "seg", 4, 16);
        assertThat(family.maxBatchSize()).isEqualTo(4);
        assertThat(family.asyncCapacity()).isEqualTo(16);

        Configuration general = new Configuration();
        general.setString("attnstream.inference.max-batch-size", "32");
        general.setString("attnstream.inference.async-capacity", "100");
        RuntimeSettings g = RuntimeSettings.from(general, "seg", 4, 16);
        assertThat(g.maxBatchSize()).isEqualTo(32);
        assertThat(g.asyncCapacity()).isEqualTo(100);

        Configuration perModel = new Configuration();
        perModel.setString("attnstream.inference.seg.async-capacity", "8");
        RuntimeSettings p = RuntimeSettings.from(perModel, "seg", 4, 16);
        assertThat(p.maxBatchSize()).isEqualTo(4);
        assertThat(p.asyncCapacity()).isEqualTo(8);
        assertThat(RuntimeSettings.from(perModel, "other", 4, 16).asyncCapacity()).isEqualTo(16);
    }

    @Test
    void batchesOf1024AsOnAGpuAreAllowed() {
        Configuration conf = new Configuration();
        conf.setString("attnstream.inference.max-batch-size", "1024");
        conf.setString("attnstream.inference.device", "gpu:1");

        RuntimeSettings s = RuntimeSettings.from(conf, "clicks");

        assertThat(s.maxBatchSize()).isEqualTo(1024);
        assertThat(s.device()).isEqualTo(new DeviceSpec(DeviceSpec.Kind.GPU, 1));
    }
}
