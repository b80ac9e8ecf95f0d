package io.attnstream.cli;

import io.attnstream.platform.JobSettings;
import io.attnstream.platform.Topics;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Reads typed settings from -D options, turning a badly typed value into a one-line usage error.
 */
final class Settings {
    private Settings() {}

    static JobSettings job(String jobName, ReadableConfig conf) {
        try {
            return JobSettings.from(jobName, conf);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("bad option value: " + Main.firstLine(e.getMessage()));
        }
    }

    static Topics topics(ReadableConfig conf) {
        try {
            return Topics.from(conf);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("bad option value: " + Main.firstLine(e.getMessage()));
        }
    }
}
