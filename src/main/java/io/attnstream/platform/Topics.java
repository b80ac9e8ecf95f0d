package io.attnstream.platform;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Names of every topic attnstream reads or writes, each configurable ({@code
 * attnstream.topic.<name>}) and all optionally prefixed ({@link AttnstreamOptions#TOPIC_PREFIX}).
 */
public final class Topics implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> VIDEO_FRAMES =
            topic("video.frames", "Camera frames (CameraFrame).");
    public static final ConfigOption<String> VIDEO_SEGMENTS =
            topic("video.segments", "Segmentation masks (SegmentationResult).");
    public static final ConfigOption<String> VIDEO_ATTENTION =
            topic("video.attention", "Segmentation attention (SegmentationAttention).");
    public static final ConfigOption<String> TRAFFIC_READINGS =
            topic("traffic.readings", "Sensor readings (TrafficReading).");
    public static final ConfigOption<String> TRAFFIC_FORECASTS =
            topic("traffic.forecasts", "Forecasts (TrafficForecast).");
    public static final ConfigOption<String> TRAFFIC_ATTENTION =
            topic("traffic.attention", "Forecast attention (TrafficAttention).");
    public static final ConfigOption<String> CLICKS_EVENTS =
            topic("clicks.events", "Click events (ClickEvent).");
    public static final ConfigOption<String> CLICKS_RECOMMENDATIONS =
            topic("clicks.recommendations", "Recommendations (Recommendation).");
    public static final ConfigOption<String> CLICKS_ATTENTION =
            topic("clicks.attention", "Recommendation attention (RecommendationAttention).");
    public static final ConfigOption<String> DEAD_LETTER =
            topic("attnstream.dead-letter", "Rejected records (DeadLetter).");
    public static final ConfigOption<String> MODEL_UPDATES =
            topic("attnstream.model-updates", "Model version changes (ModelUpdate).");

    public static final List<ConfigOption<String>> ALL =
            List.of(
                    VIDEO_FRAMES,
                    VIDEO_SEGMENTS,
                    VIDEO_ATTENTION,
                    TRAFFIC_READINGS,
                    TRAFFIC_FORECASTS,
                    TRAFFIC_ATTENTION,
                    CLICKS_EVENTS,
                    CLICKS_RECOMMENDATIONS,
                    CLICKS_ATTENTION,
                    DEAD_LETTER,
                    MODEL_UPDATES);

    private static ConfigOption<String> topic(String name, String what) {
        return ConfigOptions.key("attnstream.topic." + name)
                .stringType()
                .defaultValue(name)
                .withDescription("Topic name: " + what);
    }

    private final String prefix;
    private final Map<String, String> names;

    private Topics(String prefix, Map<String, String> names) {
        this.prefix = prefix;
        this.names = names;
    }

    public static Topics from(ReadableConfig config) {
        Map<String, String> names = new HashMap<>();
        for (ConfigOption<String> option : ALL) {
            names.put(option.key(), config.get(option));
        }
        return new Topics(config.get(AttnstreamOptions.TOPIC_PREFIX), names);
    }

    public static Topics defaults() {
        return from(new Configuration());
    }

    /** The full name of a topic, prefix included. */
    public String name(ConfigOption<String> topic) {
        String name = names.get(topic.key());
        if (name == null) {
            throw new IllegalArgumentException("not a topic option: " + topic.key());
        }
        return prefix + name;
    }

    public List<String> all() {
        List<String> out = new ArrayList<>();
        for (ConfigOption<String> option : ALL) {
            out.add(name(option));
        }
        return out;
    }
}
