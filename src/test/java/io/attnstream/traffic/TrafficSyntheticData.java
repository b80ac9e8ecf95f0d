package io.attnstream.traffic;

import io.attnstream.traffic.data.SpeedMatrix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small deterministic road corridor for the traffic model's tests: sensors 0..N-1 along one
 * direction of travel (0 upstream), 5-minute steps from a Monday midnight. Speeds follow a
 * free-flow level per sensor, weekday rush hours at 8:00 and 17:30 (deeper downstream, shallow at
 * weekends), four incidents a day whose 15-25 mph slowdown starts at one of the three most
 * downstream sensors and moves upstream one sensor per step, lasts 14-20 steps and clears over 6,
 * Gaussian noise of 1 mph, and 1 % dropouts (NaN). A model that reads the time of day and the
 * downstream sensors can foresee much of what the last value cannot: the rush-hour ramps and an
 * incident's arrival upstream. (The full RoadNetworkSimulator will replace this fixture.)
 */
public final class TrafficSyntheticData {
    /** 2024-01-01T00:00Z, a Monday. */
    public static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    public static final int STEP_SECONDS = 300;
    public static final int STEPS_PER_DAY = 288;

    private record Incident(int start, int origin, int duration, float depth) {}

    private TrafficSyntheticData() {}

    /**
     * @param sensors N, at least 2
     * @param days rows = days x 288
     * @param seed the same seed gives the same matrix
     */
    public static SpeedMatrix corridor(int sensors, int days, long seed) {
        Random random = new Random(seed);
        int steps = days * STEPS_PER_DAY;
        List<Incident> incidents = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            for (int k = 0; k < 4; k++) {
                incidents.add(
                        new Incident(
                                day * STEPS_PER_DAY + random.nextInt(STEPS_PER_DAY),
                                sensors - 3 + random.nextInt(3),
                                14 + random.nextInt(7),
                                15 + 10 * random.nextFloat()));
            }
        }
        float[][] speeds = new float[steps][sensors];
        for (int t = 0; t < steps; t++) {
            double hour = (t % STEPS_PER_DAY) * STEP_SECONDS / 3600.0;
            boolean weekday = (t / STEPS_PER_DAY) % 7 < 5;
            double rush = (weekday ? 24 : 5) * (bump(hour, 8.0, 1.5) + 0.8 * bump(hour, 17.5, 1.5));
            for (int n = 0; n < sensors; n++) {
                double free = 66 - 3 * (n % 3);
                double depth = 0.6 + 0.8 * n / (sensors - 1.0); // downstream queues are deeper
                double v =
                        free
                                - rush * depth
                                - incidentSlowdown(incidents, t, n)
                                + random.nextGaussian();
                speeds[t][n] = (float) Math.max(5, v);
                if (random.nextFloat() < 0.01f) {
                    speeds[t][n] = Float.NaN;
                }
            }
        }
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < sensors; n++) {
            ids.add("c" + n);
        }
        return new SpeedMatrix(ids, speeds);
    }

    /**
     * The corridor's road graph as METR-LA's is built: a Gaussian kernel of the distance between
     * sensors, exp(-(d / 2.5)^2), with weights under 0.05 dropped (so sensors up to 4 apart are
     * linked).
     */
    public static float[][] corridorAdjacency(int sensors) {
        float[][] a = new float[sensors][sensors];
        for (int i = 0; i < sensors; i++) {
            for (int j = 0; j < sensors; j++) {
                double d = (i - j) / 2.5;
                double w = Math.exp(-d * d);
                a[i][j] = w < 0.05 ? 0 : (float) w;
            }
        }
        return a;
    }

    private static double bump(double hour, double centre, double width) {
        double x = (hour - centre) / width;
        return Math.exp(-0.5 * x * x);
    }

    /**
     * An incident reaches sensor n (at or upstream of its origin) origin - n steps after it starts,
     * then clears.
     */
    private static double incidentSlowdown(List<Incident> incidents, int t, int n) {
        double slowdown = 0;
        for (Incident incident : incidents) {
            if (n > incident.origin()) {
                continue;
            }
            int since = t - incident.start() - (incident.origin() - n);
            if (since >= 0 && since < incident.duration() + 6) {
                double ramp =
                        since < incident.duration()
                                ? 1
                                : 1 - (since - incident.duration() + 1) / 7.0;
                slowdown = Math.max(slowdown, incident.depth() * ramp);
            }
        }
        return slowdown;
    }
}
