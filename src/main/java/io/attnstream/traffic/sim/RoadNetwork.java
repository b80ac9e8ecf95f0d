package io.attnstream.traffic.sim;

import io.attnstream.traffic.model.Adjacency;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The synthetic road graph: {@code corridors} directed chains of sensors (traffic flows from
 * position p to p + 1 of a corridor; corridor c holds a contiguous range of sensor indices) plus a
 * few cross links (interchanges) between corridors. Its adjacency weights sensor pairs by hop
 * distance, in the style of los_adj.csv.
 */
public final class RoadNetwork {
    /** Weights reach this many hops; beyond, sensors are unrelated (weight 0). */
    public static final int MAX_HOPS = 3;

    /**
     * Width of the weight decay: w(h) = exp(-((h - 1) / SIGMA)^2), so direct neighbours weigh 1.
     */
    static final double SIGMA = 1.5;

    private final int sensors;
    private final int[] corridorStart;
    private final int[] corridorOf;
    private final int[] positionOf;
    private final List<int[]> crossLinks = new ArrayList<>();
    private final Set<Long> crossLinkPairs = new HashSet<>();
    private final int[][] links;
    private final int[][] hops;

    /**
     * @param seed picks where the cross links go
     */
    public RoadNetwork(int sensors, int corridors, long seed) {
        if (sensors < 1 || corridors < 1 || corridors > sensors) {
            throw new IllegalArgumentException(
                    "need 1 <= corridors <= sensors, got "
                            + corridors
                            + " corridors for "
                            + sensors
                            + " sensors");
        }
        this.sensors = sensors;
        corridorStart = new int[corridors + 1];
        corridorOf = new int[sensors];
        positionOf = new int[sensors];
        for (int c = 0; c <= corridors; c++) {
            corridorStart[c] = (int) ((long) c * sensors / corridors);
        }
        for (int c = 0; c < corridors; c++) {
            for (int i = corridorStart[c]; i < corridorStart[c + 1]; i++) {
                corridorOf[i] = c;
                positionOf[i] = i - corridorStart[c];
            }
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5EEDL);
        for (int c = 1; c < corridors; c++) {
            addCrossLink(randomSensor(r, c), randomSensor(r, c - 1));
        }
        if (corridors >= 3) {
            addCrossLink(
                    randomSensor(r, corridors - 1),
                    randomSensor(r, 0)); // close the ring: a second route
        }
        links = buildLinks();
        hops = new int[sensors][];
        for (int i = 0; i < sensors; i++) {
            hops[i] = bfs(i);
        }
    }

    private int randomSensor(SplittableRandom r, int corridor) {
        return corridorStart[corridor] + r.nextInt(corridorLength(corridor));
    }

    private void addCrossLink(int a, int b) {
        crossLinks.add(new int[] {a, b});
        crossLinkPairs.add(pair(a, b));
        crossLinkPairs.add(pair(b, a));
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private int[][] buildLinks() {
        List<List<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < sensors; i++) {
            adj.add(new ArrayList<>());
        }
        for (int i = 0; i < sensors; i++) {
            int d = downstream(i);
            if (d >= 0) {
                adj.get(i).add(d);
                adj.get(d).add(i);
            }
        }
        for (int[] l : crossLinks) {
            if (!adj.get(l[0]).contains(l[1])) {
                adj.get(l[0]).add(l[1]);
                adj.get(l[1]).add(l[0]);
            }
        }
        int[][] out = new int[sensors][];
        for (int i = 0; i < sensors; i++) {
            out[i] = adj.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return out;
    }

    private int[] bfs(int from) {
        int[] dist = new int[sensors];
        Arrays.fill(dist, Integer.MAX_VALUE);
        dist[from] = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(from);
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int v : links[u]) {
                if (dist[v] == Integer.MAX_VALUE) {
                    dist[v] = dist[u] + 1;
                    queue.add(v);
                }
            }
        }
        return dist;
    }

    public int sensors() {
        return sensors;
    }

    public int corridors() {
        return corridorStart.length - 1;
    }

    public int corridorOf(int sensor) {
        return corridorOf[sensor];
    }

    /** 0 = the corridor's most upstream sensor. */
    public int positionOf(int sensor) {
        return positionOf[sensor];
    }

    public int corridorLength(int corridor) {
        return corridorStart[corridor + 1] - corridorStart[corridor];
    }

    /** The sensor at {@code position} of {@code corridor}. */
    public int sensorAt(int corridor, int position) {
        return corridorStart[corridor] + position;
    }

    /**
     * The next sensor upstream on the same corridor (traffic comes from it), or -1 at the
     * corridor's start.
     */
    public int upstream(int sensor) {
        return positionOf[sensor] > 0 ? sensor - 1 : -1;
    }

    /**
     * The next sensor downstream on the same corridor (traffic goes to it), or -1 at the corridor's
     * end.
     */
    public int downstream(int sensor) {
        return positionOf[sensor] < corridorLength(corridorOf[sensor]) - 1 ? sensor + 1 : -1;
    }

    /** Sensors joined to this one by a corridor segment or a cross link, in index order. */
    public int[] neighbours(int sensor) {
        return links[sensor].clone();
    }

    /** The interchanges, each as {sensor a, sensor b} on different corridors. */
    public List<int[]> crossLinks() {
        return crossLinks.stream().map(int[]::clone).toList();
    }

    /** True when an interchange joins the two sensors directly. */
    public boolean crossLinked(int a, int b) {
        return crossLinkPairs.contains(pair(a, b));
    }

    /**
     * Shortest path length in the undirected graph, or {@link Integer#MAX_VALUE} if unconnected.
     */
    public int hops(int a, int b) {
        return hops[a][b];
    }

    /**
     * Symmetric weights: 1 on the diagonal and for direct neighbours, exp(-((h-1)/1.5)^2) up to 3
     * hops, else 0.
     */
    public Adjacency adjacency() {
        float[][] w = new float[sensors][sensors];
        for (int i = 0; i < sensors; i++) {
            for (int j = 0; j < sensors; j++) {
                int h = hops[i][j];
                if (h == 0) {
                    w[i][j] = 1f;
                } else if (h <= MAX_HOPS) {
                    w[i][j] = (float) Math.exp(-Math.pow((h - 1) / SIGMA, 2));
                }
            }
        }
        return Adjacency.of(w);
    }
}
