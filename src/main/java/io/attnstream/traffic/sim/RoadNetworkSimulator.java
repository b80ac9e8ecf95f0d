package io.attnstream.traffic.sim;

import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.data.SpeedRows;
import io.attnstream.traffic.model.Adjacency;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic loop-detector speeds on a {@link RoadNetwork}, deterministic from a seed. Built so that
 * context pays: a forecaster that knows the calendar, looks past the noise of the last reading and
 * watches the sensors downstream beats "last value" clearly.
 *
 * <p>Speed of sensor i at step t (mph), before dropouts: {@code freeFlow_i * (1 - rush_i(calendar)
 * * (1 + 0.35 wave_c(t - 2u))) * (1 - incident_i(t)) + ar_i(t) + white_i(t)}, clamped to [3, 85],
 * where u is the sensor's distance upstream of its corridor's bottleneck:
 *
 * <ul>
 *   <li>free flow 55-70 mph per sensor;
 *   <li>rush: weekday morning (08:00) and evening (17:30) peaks whose depth is largest at each
 *       corridor's bottleneck and fades along it, peaking a few minutes later further upstream (the
 *       queue grows backwards); weekends have no morning rush and a lighter, broader afternoon
 *       slowdown;
 *   <li>stop-and-go waves: while congested, the bottleneck's state (a slow unit-variance AR(1) per
 *       corridor) deepens or eases the slowdown, and reaches the sensor u hops upstream 2u steps
 *       later;
 *   <li>incidents (Poisson per day): the slowdown starts at the incident sensor and travels
 *       upstream one sensor every 1-2 steps (a shockwave), weakening with distance; after 30-120
 *       min it clears, again head first, and speeds recover over a few steps. A cross-linked sensor
 *       of another corridor gets a weaker spillback;
 *   <li>AR(1) sensor noise (slow drift) plus white measurement noise, so the last reading alone is
 *       a noisy estimate of the current level.
 * </ul>
 *
 * Dropouts ({@link #row}/{@link #simulate}) replace values by NaN: single missing readings and
 * multi-step outages of one sensor, together {@code missingRate} of all cells on average (60 %
 * singles, 40 % outages).
 *
 * <p>All randomness is counter-based ({@link SeededNoise}): any (sensor, step) can be asked in any
 * order, and switching incidents or dropouts off does not change the other components. Not
 * thread-safe.
 */
public final class RoadNetworkSimulator {
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z"); // a Monday
    // Noise levels: the white part is what makes the last reading a poor estimate of the current
    // level; the AR(1) part is slow sensor drift. Tuned so that last value scores in the range real
    // loop data gives (Los-loop:
    // 5.5 mph RMSE at 15 min) while a window-smoothing, calendar-aware linear forecaster is ~20 %
    // better.
    static final double AR_PHI = 0.8;
    static final double AR_SIGMA = 0.7;
    static final double WHITE_SIGMA = 3.0;

    /**
     * Persistence and strength of the stop-and-go waves that start at a bottleneck and travel
     * upstream.
     */
    static final double WAVE_PHI = 0.95;

    static final double WAVE_GAIN = 0.35;

    /** Steps a bottleneck wave takes to travel one sensor upstream. */
    static final int WAVE_STEPS_PER_HOP = 2;

    static final float MIN_SPEED = 3f;
    static final float MAX_SPEED = 85f;

    /** Steps over which a sensor recovers after its part of an incident clears. */
    static final int RECOVERY_STEPS = 4;

    static final int MIN_OUTAGE_STEPS = 6;
    static final int MAX_OUTAGE_STEPS = 24;
    static final double OUTAGE_SHARE = 0.4;

    private static final long STREAM_PROFILE = 1;
    private static final long STREAM_AR = 2;
    private static final long STREAM_WHITE = 3;
    private static final long STREAM_INCIDENTS = 4;
    private static final long STREAM_SINGLE_DROP = 5;
    private static final long STREAM_OUTAGES = 6;
    private static final long STREAM_WAVES = 7;
    private static final int CACHED_DAYS = 64;

    /**
     * One incident. Sensor {@code sensor} slows by {@code severity} (a fraction of its speed) from
     * {@code startStep}; the sensor u hops upstream from {@code startStep + u * stepsPerHop}, by
     * {@code severity * (1 - u / (reachHops + 1))}, for u up to {@code reachHops}.
     */
    public record Incident(
            int sensor,
            long startStep,
            int durationSteps,
            double severity,
            int stepsPerHop,
            int reachHops) {}

    private final RoadNetwork network;
    private final List<String> sensorIds;
    private final long startMillis;
    private final int stepSeconds;
    private final long stepMillis;
    private final int stepsPerDay;
    private final double incidentsPerDay;
    private final double missingRate;
    private final SeededNoise noise;
    private final float[] freeFlow;
    private final float[] morningDepth;
    private final float[] eveningDepth;
    private final float[] peakDelayHours;
    private final int lookbackDays;
    private final Map<Long, List<Incident>> incidentsByDay = lruMap();
    private final Map<Long, List<int[]>> outagesByDay = lruMap();
    private final int[] bottleneckOf; // per corridor, the position where its rush-hour queues start
    private final ArNoise sensorNoise;
    private final ArNoise bottleneckWaves;

    private RoadNetworkSimulator(Builder b) {
        this.network = new RoadNetwork(b.sensors, b.corridors, b.seed);
        this.startMillis = b.start.toEpochMilli();
        this.stepSeconds = b.stepSeconds;
        this.stepMillis = b.stepSeconds * 1000L;
        this.stepsPerDay = 86_400 / b.stepSeconds;
        this.incidentsPerDay = b.incidentsPerDay;
        this.missingRate = b.missingRate;
        this.noise = new SeededNoise(b.seed);
        int n = b.sensors;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(sensorId(i));
        }
        this.sensorIds = Collections.unmodifiableList(ids);
        freeFlow = new float[n];
        morningDepth = new float[n];
        eveningDepth = new float[n];
        peakDelayHours = new float[n];
        bottleneckOf = new int[network.corridors()];
        buildProfiles();
        sensorNoise = new ArNoise(noise, STREAM_AR, n, AR_PHI, AR_SIGMA);
        bottleneckWaves =
                new ArNoise(
                        noise,
                        STREAM_WAVES,
                        network.corridors(),
                        WAVE_PHI,
                        Math.sqrt(1 - WAVE_PHI * WAVE_PHI)); // unit variance
        // An incident or outage that starts on day d can still be felt this many days later.
        int longestEffect = Math.max(maxIncidentSpanSteps(), MAX_OUTAGE_STEPS);
        this.lookbackDays = 1 + longestEffect / stepsPerDay;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static String sensorId(int index) {
        return String.format("s%03d", index);
    }

    private void buildProfiles() {
        SplittableRandom r = noise.random(STREAM_PROFILE, 0, 0);
        for (int i = 0; i < freeFlow.length; i++) {
            freeFlow[i] = (float) (55 + 15 * r.nextDouble());
        }
        for (int c = 0; c < network.corridors(); c++) {
            int length = network.corridorLength(c);
            int bottleneck = r.nextInt(length);
            bottleneckOf[c] = bottleneck;
            double morning = 0.25 + 0.30 * r.nextDouble();
            double evening = 0.25 + 0.30 * r.nextDouble();
            for (int p = 0; p < length; p++) {
                int i = network.sensorAt(c, p);
                // Queues extend upstream of a bottleneck (slow decay) and clear quickly downstream
                // of it.
                double d =
                        p <= bottleneck
                                ? Math.exp(-Math.pow((bottleneck - p) / 3.0, 2))
                                : Math.exp(-Math.pow(p - bottleneck, 2));
                double shape = 0.3 + 0.7 * d;
                morningDepth[i] = (float) (morning * shape * (0.85 + 0.3 * r.nextDouble()));
                eveningDepth[i] = (float) (evening * shape * (0.85 + 0.3 * r.nextDouble()));
                peakDelayHours[i] = (float) (Math.max(0, bottleneck - p) * 5.0 / 60.0);
            }
        }
    }

    // ---- calendar ----

    public long stepMillis(long step) {
        return startMillis + step * stepMillis;
    }

    /** Fraction of the rush-hour slowdown of sensor i at this time: 0 = free flow. */
    double rush(int i, long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        int dayOfWeek = (int) Math.floorMod(day + 3, 7); // 1970-01-01 was a Thursday; Monday = 0
        double hour = Math.floorMod(epochMillis, 86_400_000L) / 3_600_000.0;
        double delay = peakDelayHours[i];
        if (dayOfWeek >= 5) {
            return 0.35 * eveningDepth[i] * bump(hour, 15.0 + delay, 2.5);
        }
        return morningDepth[i] * bump(hour, 8.0 + delay, 1.1)
                + eveningDepth[i] * bump(hour, 17.5 + delay, 1.4);
    }

    private static double bump(double hour, double centre, double width) {
        return Math.exp(-Math.pow((hour - centre) / width, 2));
    }

    // ---- incidents ----

    private int maxIncidentSpanSteps() {
        int maxDuration = Math.max(1, (int) Math.round(120 * 60.0 / stepSeconds));
        return maxDuration + 5 * 2 + 2 * 2 + RECOVERY_STEPS + 2;
    }

    /** The incidents of one simulated day (day 0 = the 24 h from {@code start}). */
    List<Incident> incidentsOfDay(long day) {
        return incidentsByDay.computeIfAbsent(
                day,
                d -> {
                    SplittableRandom r = noise.random(STREAM_INCIDENTS, d, 0);
                    int count = SeededNoise.poisson(r, incidentsPerDay);
                    List<Incident> list = new ArrayList<>();
                    for (int k = 0; k < count; k++) {
                        int sensor = r.nextInt(network.sensors());
                        long start = d * stepsPerDay + r.nextInt(stepsPerDay);
                        double minutes = 30 + 90 * r.nextDouble();
                        int duration = Math.max(1, (int) Math.round(minutes * 60 / stepSeconds));
                        double severity = 0.35 + 0.4 * r.nextDouble();
                        int perHop = 1 + r.nextInt(2);
                        int reach = 1 + (int) (severity * 5);
                        list.add(new Incident(sensor, start, duration, severity, perHop, reach));
                    }
                    return List.copyOf(list);
                });
    }

    /** Incidents starting in steps [fromStep, toStep), oldest first. */
    public List<Incident> incidents(long fromStep, long toStep) {
        List<Incident> out = new ArrayList<>();
        for (long d = Math.floorDiv(fromStep, stepsPerDay); d * stepsPerDay < toStep; d++) {
            for (Incident inc : incidentsOfDay(d)) {
                if (inc.startStep() >= fromStep && inc.startStep() < toStep) {
                    out.add(inc);
                }
            }
        }
        out.sort((a, b) -> Long.compare(a.startStep(), b.startStep()));
        return out;
    }

    /** Fraction of speed lost to incidents at sensor i, step t (the strongest incident wins). */
    double incidentLoss(int i, long t) {
        if (incidentsPerDay <= 0) {
            return 0;
        }
        double loss = 0;
        long today = Math.floorDiv(t, stepsPerDay);
        for (long d = today - lookbackDays; d <= today; d++) {
            for (Incident inc : incidentsOfDay(d)) {
                loss = Math.max(loss, lossFrom(inc, i, t));
            }
        }
        return loss;
    }

    private double lossFrom(Incident inc, int i, long t) {
        int k = inc.sensor();
        int delayHops;
        double depth;
        if (network.corridorOf(i) == network.corridorOf(k)
                && network.positionOf(i) <= network.positionOf(k)) {
            int u = network.positionOf(k) - network.positionOf(i);
            if (u > inc.reachHops()) {
                return 0;
            }
            delayHops = u;
            depth = inc.severity() * (1 - u / (inc.reachHops() + 1.0));
        } else if (network.crossLinked(i, k)) {
            delayHops = 2; // the queue has to back up the ramp first
            depth = 0.4 * inc.severity();
        } else {
            return 0;
        }
        long onset = inc.startStep() + (long) delayHops * inc.stepsPerHop();
        long clear = onset + inc.durationSteps();
        if (t < onset) {
            return 0;
        }
        if (t == onset) {
            return 0.5 * depth; // the queue reaches the sensor during this interval
        }
        if (t < clear) {
            return depth;
        }
        long since = t - clear;
        return since >= RECOVERY_STEPS ? 0 : depth * (1 - (since + 1.0) / (RECOVERY_STEPS + 1));
    }

    // ---- dropouts ----

    private List<int[]> outagesOfDay(long day) {
        return outagesByDay.computeIfAbsent(
                day,
                d -> {
                    double meanLength = (MIN_OUTAGE_STEPS + MAX_OUTAGE_STEPS) / 2.0;
                    double perSensorDay = OUTAGE_SHARE * missingRate * stepsPerDay / meanLength;
                    List<int[]> list = new ArrayList<>();
                    for (int i = 0; i < network.sensors(); i++) {
                        SplittableRandom r = noise.random(STREAM_OUTAGES, d, i);
                        int count = SeededNoise.poisson(r, perSensorDay);
                        for (int k = 0; k < count; k++) {
                            int start = r.nextInt(stepsPerDay);
                            int length =
                                    MIN_OUTAGE_STEPS
                                            + r.nextInt(MAX_OUTAGE_STEPS - MIN_OUTAGE_STEPS + 1);
                            list.add(new int[] {i, start, length});
                        }
                    }
                    return List.copyOf(list);
                });
    }

    /**
     * True when the reading of sensor i at step t is lost (a single dropout or inside an outage).
     */
    boolean isMissing(int i, long t) {
        if (missingRate <= 0) {
            return false;
        }
        if (noise.uniform(STREAM_SINGLE_DROP, i, t) < (1 - OUTAGE_SHARE) * missingRate) {
            return true;
        }
        long today = Math.floorDiv(t, stepsPerDay);
        for (long d = today - lookbackDays; d <= today; d++) {
            for (int[] o : outagesOfDay(d)) {
                long begin = d * stepsPerDay + o[1];
                if (o[0] == i && t >= begin && t < begin + o[2]) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- public API ----

    /** The noise-free speed: free flow less the rush-hour and incident slowdowns. */
    double levelAt(int sensor, long step) {
        double congestion = rush(sensor, stepMillis(step)) * (1 + WAVE_GAIN * wave(sensor, step));
        return freeFlow[sensor] * (1 - congestion) * (1 - incidentLoss(sensor, step));
    }

    /**
     * The corridor's bottleneck state as it reaches this sensor: it varies (unit variance) at the
     * bottleneck and travels upstream one sensor per {@link #WAVE_STEPS_PER_HOP} steps, so a sensor
     * downstream shows now what its upstream neighbours will see next.
     */
    double wave(int sensor, long step) {
        int c = network.corridorOf(sensor);
        int hopsUpstream = Math.max(0, bottleneckOf[c] - network.positionOf(sensor));
        return bottleneckWaves.value(
                c, Math.max(0, step - (long) hopsUpstream * WAVE_STEPS_PER_HOP));
    }

    /** The true speed of a sensor at a step (step 0 = {@code start}), before dropouts. */
    public float speedAt(int sensor, long step) {
        if (step < 0 || sensor < 0 || sensor >= network.sensors()) {
            throw new IndexOutOfBoundsException("sensor " + sensor + " step " + step);
        }
        double v =
                levelAt(sensor, step)
                        + sensorNoise.value(sensor, step)
                        + WHITE_SIGMA * noise.gaussian(STREAM_WHITE, sensor, step);
        return (float) Math.max(MIN_SPEED, Math.min(MAX_SPEED, v));
    }

    /** The speeds all sensors report at a step: (N), NaN where the reading is lost. */
    public float[] row(long step) {
        int n = network.sensors();
        float[] row = new float[n];
        for (int i = 0; i < n; i++) {
            row[i] = isMissing(i, step) ? Float.NaN : speedAt(i, step);
        }
        return row;
    }

    /** Rows for steps [0, steps): (steps, N) with dropouts as NaN. */
    public SpeedMatrix simulate(int steps) {
        float[][] speeds = new float[steps][];
        for (int t = 0; t < steps; t++) {
            speeds[t] = row(t);
        }
        return new SpeedMatrix(sensorIds, speeds);
    }

    /** An endless row source from step 0, for {@link TrafficReadingStream}. */
    public SpeedRows rows() {
        return new SpeedRows() {
            private long step;

            @Override
            public List<String> sensorIds() {
                return sensorIds;
            }

            @Override
            public float[] next() {
                return row(step++);
            }
        };
    }

    public Adjacency adjacency() {
        return network.adjacency();
    }

    public RoadNetwork network() {
        return network;
    }

    /** "s000", "s001", ...: the column order of {@link #simulate} and {@link #adjacency}. */
    public List<String> sensorIds() {
        return sensorIds;
    }

    public int sensors() {
        return network.sensors();
    }

    public long startEpochMillis() {
        return startMillis;
    }

    public int stepSeconds() {
        return stepSeconds;
    }

    public int stepsPerDay() {
        return stepsPerDay;
    }

    private static <K, V> Map<K, V> lruMap() {
        // Bounded, so an endless stream does not keep every day's incidents and outages forever.
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > CACHED_DAYS;
            }
        };
    }

    /** Settings of the simulator; {@code sensors} is required. */
    public static final class Builder {
        private int sensors;
        private Integer corridors;
        private long seed;
        private Instant start = DEFAULT_START;
        private int stepSeconds = 300;
        private Double incidentsPerDay;
        private double missingRate = 0.01;

        private Builder() {}

        public Builder sensors(int sensors) {
            this.sensors = sensors;
            return this;
        }

        /** Default: one corridor per 8 sensors (at least one). */
        public Builder corridors(int corridors) {
            this.corridors = corridors;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Time of step 0 (default 2024-01-01T00:00Z, a Monday). */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** Default 300 (5 min); must divide a day. */
        public Builder stepSeconds(int stepSeconds) {
            this.stepSeconds = stepSeconds;
            return this;
        }

        /** Expected incidents per simulated day over the whole network (default: sensors / 10). */
        public Builder incidentsPerDay(double incidentsPerDay) {
            this.incidentsPerDay = incidentsPerDay;
            return this;
        }

        /** Expected fraction of missing readings (default 0.01). */
        public Builder missingRate(double missingRate) {
            this.missingRate = missingRate;
            return this;
        }

        public RoadNetworkSimulator build() {
            if (sensors < 1) {
                throw new IllegalArgumentException("sensors must be >= 1, got " + sensors);
            }
            if (corridors == null) {
                corridors = Math.max(1, Math.round(sensors / 8f));
            }
            if (corridors < 1 || corridors > sensors) {
                throw new IllegalArgumentException(
                        "corridors must be in 1.." + sensors + ", got " + corridors);
            }
            if (stepSeconds < 1 || 86_400 % stepSeconds != 0) {
                throw new IllegalArgumentException(
                        "stepSeconds must divide a day (86400 s), got " + stepSeconds);
            }
            if (incidentsPerDay == null) {
                incidentsPerDay = sensors / 10.0;
            }
            if (!(incidentsPerDay >= 0) || Double.isInfinite(incidentsPerDay)) {
                throw new IllegalArgumentException(
                        "incidentsPerDay must be finite and >= 0, got " + incidentsPerDay);
            }
            if (!(missingRate >= 0 && missingRate <= 0.5)) {
                throw new IllegalArgumentException(
                        "missingRate must be in [0, 0.5], got " + missingRate);
            }
            if (start == null) {
                throw new IllegalArgumentException("start must be set");
            }
            return new RoadNetworkSimulator(this);
        }
    }
}
