package io.attnstream.traffic.model;

/**
 * The traffic model's answer for one window, in Java arrays: the forecast in mph and the attention
 * that explains it (temporal weights per sensor, and each sensor's top-k attended sensors). A Flink
 * POJO.
 */
public class TrafficPrediction {
    /** H, forecast steps. */
    public int horizon;

    /** N, the version's sensors. */
    public int sensors;

    /** T, input steps. */
    public int steps;

    /** k, attended sensors kept per sensor. */
    public int topK;

    /** (H, N) forecast speeds in mph, row-major. */
    public float[] speeds;

    /** (N, T) temporal attention of each sensor's last step over the T input steps. */
    public float[] temporal;

    /** (N, k) indexes of the sensors each sensor attended to most, strongest first. */
    public int[] topSensors;

    /** (N, k) their spatial attention weights. */
    public float[] topWeights;

    /** (N) how many of each sensor's T inputs had no reading and were imputed. */
    public int[] imputed;

    /** (N) the version's sensors, in the order of every array here. */
    public String[] sensorIds;

    /** Sensors of the window the version does not know (left out of its input). */
    public int unknownSensors;

    public TrafficPrediction() {}

    public float speed(int step, int sensor) {
        return speeds[step * sensors + sensor];
    }
}
