package io.attnstream.clicks.sim;

import io.attnstream.clicks.data.Interactions;
import io.attnstream.schema.ClickEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The events of an {@link Interactions} in the order a live shop would have sent them, each with an
 * event time:
 *
 * <ul>
 *   <li>with times (CSV, Diginetica): all users' events merged by event time (ties: user order,
 *       then the user's own order);
 *   <li>without times (amazon-games): the users take turns, one event each per round (round k sends
 *       every user's k-th event, users with shorter histories drop out), and the n-th event sent
 *       gets the synthetic time {@code start + n * step}. This keeps each user's order and spreads
 *       every user over the replay instead of sending one user's whole history at once.
 * </ul>
 */
public final class ClickReplay {
    private final List<String> users;
    private final List<List<String>> sequences;
    private final List<List<ClickEventType>> types; // null: all VIEW
    private final int[] userOf;
    private final int[] positionOf;
    private final long[] timeOf;
    private int next;

    public ClickReplay(Interactions in, Instant syntheticStart, Duration syntheticStep) {
        users = in.users();
        sequences = users.stream().map(u -> in.sequences().get(u)).toList();
        types = in.hasEventTypes() ? users.stream().map(in::eventTypes).toList() : null;
        int n = in.size();
        userOf = new int[n];
        positionOf = new int[n];
        timeOf = new long[n];
        if (in.hasTimes()) {
            long[][] times = users.stream().map(in::times).toArray(long[][]::new);
            Integer[] order = new Integer[n];
            int k = 0;
            int[] u0 = new int[n];
            int[] p0 = new int[n];
            long[] t0 = new long[n];
            for (int u = 0; u < users.size(); u++) {
                for (int p = 0; p < times[u].length; p++, k++) {
                    u0[k] = u;
                    p0[k] = p;
                    t0[k] = times[u][p];
                    order[k] = k;
                }
            }
            Arrays.sort(
                    order,
                    (a, b) -> Long.compare(t0[a], t0[b])); // stable: user order, then position
            for (int i = 0; i < n; i++) {
                userOf[i] = u0[order[i]];
                positionOf[i] = p0[order[i]];
                timeOf[i] = t0[order[i]];
            }
        } else {
            long start = syntheticStart.toEpochMilli();
            long step = syntheticStep.toMillis();
            int k = 0;
            for (int round = 0; k < n; round++) {
                for (int u = 0; u < users.size(); u++) {
                    if (round < sequences.get(u).size()) {
                        userOf[k] = u;
                        positionOf[k] = round;
                        timeOf[k] = start + k * step;
                        k++;
                    }
                }
            }
        }
    }

    /** Event time of the first event (the replay's origin), or 0 when empty. */
    public long firstTimeMillis() {
        return timeOf.length == 0 ? 0 : timeOf[0];
    }

    /** The next event, or null at the end. */
    public ClickstreamSimulator.Event next() {
        if (next >= userOf.length) {
            return null;
        }
        int i = next++;
        int u = userOf[i];
        int p = positionOf[i];
        ClickEventType type = types == null ? ClickEventType.VIEW : types.get(u).get(p);
        return new ClickstreamSimulator.Event(
                users.get(u), null, sequences.get(u).get(p), type, timeOf[i]);
    }

    int size() {
        return userOf.length;
    }
}
