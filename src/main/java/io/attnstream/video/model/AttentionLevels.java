package io.attnstream.video.model;

import io.attnstream.video.image.AttentionMap;

/**
 * A low-resolution attention or gate map quantised to 8 bits: level / 255 is the weight in [0, 1].
 * A Flink POJO.
 */
public class AttentionLevels {
    public String name;
    public int height;
    public int width;

    /** (height, width) row-major. */
    public byte[] levels;

    public AttentionLevels() {}

    public AttentionLevels(String name, int height, int width, byte[] levels) {
        this.name = name;
        this.height = height;
        this.width = width;
        this.levels = levels;
    }

    /** A map's 8-bit form ({@link AttentionMap#toBytes}). */
    public static AttentionLevels of(String name, AttentionMap map) {
        return new AttentionLevels(name, map.height(), map.width(), map.toBytes());
    }

    /** The weight of each level, level / 255 ({@link AttentionMap#dequantize}). */
    public float[] weights() {
        return AttentionMap.dequantize(levels);
    }
}
