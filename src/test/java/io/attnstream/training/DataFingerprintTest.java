package io.attnstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFingerprintTest {
    @Test
    void valuesHashTheirBytesInOrder() {
        // SHA-256 of "ab" (the bytes 0x61 0x62), as sha256sum prints it
        assertThat(DataFingerprint.ofValues().add("a").add((byte) 'b').value())
                .isEqualTo(
                        "values-sha256:fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603");
        assertThat(DataFingerprint.ofValues().add("b").add("a").value())
                .isNotEqualTo(DataFingerprint.ofValues().add("a").add("b").value());
    }

    @Test
    void floatsHashTheirBitsSoEveryNanIsTheSame() {
        float otherNan = Float.intBitsToFloat(0x7fc00001);
        assertThat(DataFingerprint.ofValues().add(new float[] {1f, Float.NaN}).value())
                .isEqualTo(DataFingerprint.ofValues().add(new float[] {1f, otherNan}).value())
                .isEqualTo(
                        DataFingerprint.ofValues()
                                .add(new byte[] {0x3f, (byte) 0x80, 0, 0, 0x7f, (byte) 0xc0, 0, 0})
                                .value());
    }

    @Test
    void aFileIsFingerprintedByItsBytes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data.csv"), "ab");
        assertThat(DataFingerprint.ofFile(file))
                .isEqualTo(
                        "sha256:fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603");
    }
}
