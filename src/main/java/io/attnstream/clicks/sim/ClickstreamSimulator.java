package io.attnstream.clicks.sim;

import io.attnstream.clicks.data.Interactions;
import io.attnstream.schema.ClickEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic shop clickstream, deterministic from a seed, built so that order pays: a sequence model
 * that looks at the last items beats "most popular" clearly, while popularity still gets something.
 *
 * <ul>
 *   <li>Catalogue: I items split evenly over C categories; inside a category the item of popularity
 *       rank r is drawn with weight {@code 1 / (r + 1)^}{@value #ZIPF_EXPONENT} (Zipf). Item ids do
 *       not reveal rank.
 *   <li>"Next item" relation: inside each category the items form one random cycle; an item's
 *       successor is the next one on it (an accessory after a main product). The cycle spans the
 *       whole category, so following it does not loop back within a session.
 *   <li>Users: interests over categories (a few favourites, a small floor elsewhere) that drift
 *       slowly: every new session multiplies each weight by {@code exp(}{@value #DRIFT_SIGMA}{@code
 *       * N(0,1))}.
 *   <li>Sessions: a category drawn from the interests, a first item by popularity, then each next
 *       item is the successor of the last with probability {@value #P_SUCCESSOR}, another popular
 *       item of the session's category with {@value #P_SAME_CATEGORY}, otherwise a popular item of
 *       a category drawn afresh (which becomes the session's category). Sessions have 2 + Geometric
 *       items (mean {@value #SESSION_MEAN}).
 *   <li>Event types: each event is one item visit, typed by how far the user went with that item:
 *       VIEW, or ADD_TO_CART ({@value #P_CART}), or PURCHASE ({@value #P_PURCHASE}). A cart or
 *       purchase is not a second event on the same item, so a user's sequence has no immediate
 *       repeats for a model to learn trivially.
 *   <li>Times ({@link #interactions}): 10-120 s between the events of a session, on average a day
 *       between sessions, from {@link #DEFAULT_START}.
 * </ul>
 *
 * {@link #interactions} and {@link #live} each start from the seed, so they do not depend on
 * earlier calls. Not thread-safe.
 */
public final class ClickstreamSimulator {
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");
    static final double ZIPF_EXPONENT = 1.0;
    static final double P_SUCCESSOR = 0.5;
    static final double P_SAME_CATEGORY = 0.3;
    static final double SESSION_MEAN = 6.0;
    static final double DRIFT_SIGMA = 0.25;
    static final double P_CART = 0.08;
    static final double P_PURCHASE = 0.03;
    static final int FAVOURITE_CATEGORIES = 3;
    static final double INTEREST_FLOOR = 0.05;
    private static final long MEAN_SESSION_GAP_MILLIS = 24 * 3600_000L;

    /** One simulated event; the session id is unique per user and session. */
    public record Event(
            String userId, String sessionId, String itemId, ClickEventType type, long timeMillis) {}

    private final int users;
    private final int categories;
    private final long seed;
    private final String[] itemIds;
    private final String[] userIds;
    private final int[] categoryOf; // item -> category
    private final int[][] byRank; // category -> items, most popular first
    private final double[][] rankCumulative; // category -> cumulative Zipf weights over ranks
    private final int[] successor; // item -> next item on its category's cycle

    private ClickstreamSimulator(Builder b) {
        this.users = b.users;
        this.categories = b.categories;
        this.seed = b.seed;
        SplittableRandom r = new SplittableRandom(b.seed);
        int n = b.items;
        itemIds = ids("i", n, 5);
        userIds = ids("u", b.users, 4);
        int[] perm = shuffled(n, r);
        categoryOf = new int[n];
        byRank = new int[categories][];
        rankCumulative = new double[categories][];
        successor = new int[n];
        for (int c = 0; c < categories; c++) {
            int from = (int) ((long) n * c / categories);
            int to = (int) ((long) n * (c + 1) / categories);
            int[] members = Arrays.copyOfRange(perm, from, to); // random order = popularity rank
            byRank[c] = members;
            double[] cum = new double[members.length];
            double sum = 0;
            for (int k = 0; k < members.length; k++) {
                categoryOf[members[k]] = c;
                sum += 1.0 / Math.pow(k + 1, ZIPF_EXPONENT);
                cum[k] = sum;
            }
            rankCumulative[c] = cum;
            int[] cycle = members.clone();
            shuffle(cycle, r);
            for (int k = 0; k < cycle.length; k++) {
                successor[cycle[k]] = cycle[(k + 1) % cycle.length];
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> itemIds() {
        return List.of(itemIds);
    }

    public List<String> userIds() {
        return List.of(userIds);
    }

    public int categories() {
        return categories;
    }

    /** The category of an item of the catalogue. */
    public int categoryOf(String itemId) {
        return categoryOf[indexOf(itemId)];
    }

    /** The item that often follows this one. */
    public String successorOf(String itemId) {
        return itemIds[successor[indexOf(itemId)]];
    }

    /** Items of a category, most popular first. */
    public List<String> itemsByPopularity(int category) {
        List<String> out = new ArrayList<>(byRank[category].length);
        for (int i : byRank[category]) {
            out.add(itemIds[i]);
        }
        return out;
    }

    /**
     * Every user's history, with event types and times: each user has between half and 1.5 times
     * {@code eventsPerUserMean} events (at least 3, so leave-one-out has training data).
     */
    public Interactions interactions(int eventsPerUserMean) {
        if (eventsPerUserMean < 1) {
            throw new IllegalArgumentException(
                    "eventsPerUserMean must be >= 1, got " + eventsPerUserMean);
        }
        SplittableRandom root = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Interactions.Builder out = Interactions.builder();
        for (int u = 0; u < users; u++) {
            SplittableRandom r = root.split();
            UserState s = new UserState(u, r);
            int count = Math.max(3, (int) Math.round(eventsPerUserMean * (0.5 + r.nextDouble())));
            long time =
                    DEFAULT_START.toEpochMilli()
                            + (long) (r.nextDouble() * MEAN_SESSION_GAP_MILLIS);
            for (int k = 0; k < count; k++) {
                boolean newSession = s.remaining == 0;
                time +=
                        newSession && k > 0
                                ? 60_000L + (long) (exponential(r) * MEAN_SESSION_GAP_MILLIS)
                                : 10_000L + r.nextInt(110_001);
                Event e = s.next(time);
                out.add(e.userId(), e.itemId(), e.type(), e.timeMillis());
            }
        }
        return out.build();
    }

    /** An endless stream of events over all users, each continuing their own session. */
    public Live live() {
        return new Live();
    }

    /** Live mode: {@link #next} advances a random user by one event at the given time. */
    public final class Live {
        private final SplittableRandom pick = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        private final UserState[] states = new UserState[users];
        private final SplittableRandom userRoot = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        private final SplittableRandom[] userRandoms = new SplittableRandom[users];

        private Live() {
            // Per-user randomness is fixed up front so a user's events do not depend on who was
            // picked before.
            for (int u = 0; u < users; u++) {
                userRandoms[u] = userRoot.split();
            }
        }

        public Event next(long timeMillis) {
            int u = pick.nextInt(users);
            if (states[u] == null) {
                states[u] = new UserState(u, userRandoms[u]);
            }
            return states[u].next(timeMillis);
        }
    }

    /** One user's interests and current session. */
    private final class UserState {
        final int user;
        final SplittableRandom r;
        final double[] interest = new double[categories];
        int sessions;
        int remaining;
        int category;
        int last = -1;

        UserState(int user, SplittableRandom r) {
            this.user = user;
            this.r = r;
            Arrays.fill(interest, INTEREST_FLOOR);
            for (int k = 0; k < Math.min(FAVOURITE_CATEGORIES, categories); k++) {
                interest[r.nextInt(categories)] += 1 + r.nextDouble();
            }
        }

        Event next(long time) {
            int item;
            if (remaining == 0) {
                sessions++;
                remaining = 2 + geometric(SESSION_MEAN - 2);
                drift();
                category = drawCategory();
                item = drawPopular(category);
            } else {
                double u = r.nextDouble();
                if (u < P_SUCCESSOR) {
                    item = successor[last];
                } else if (u < P_SUCCESSOR + P_SAME_CATEGORY) {
                    item = drawPopular(category);
                } else {
                    category = drawCategory();
                    item = drawPopular(category);
                }
                // a popular draw hit the item just seen: a reload, not a new visit
                if (item == last) {
                    item = successor[last];
                }
            }
            remaining--;
            last = item;
            category = categoryOf[item];
            double t = r.nextDouble();
            ClickEventType type =
                    t < P_PURCHASE
                            ? ClickEventType.PURCHASE
                            : t < P_PURCHASE + P_CART
                                    ? ClickEventType.ADD_TO_CART
                                    : ClickEventType.VIEW;
            return new Event(
                    userIds[user], userIds[user] + "-s" + sessions, itemIds[item], type, time);
        }

        private void drift() {
            double sum = 0;
            for (int c = 0; c < categories; c++) {
                interest[c] *= Math.exp(DRIFT_SIGMA * gaussian(r));
                sum += interest[c];
            }
            for (int c = 0; c < categories; c++) {
                interest[c] /= sum;
            }
        }

        private int drawCategory() {
            double sum = 0;
            for (double w : interest) {
                sum += w;
            }
            double x = r.nextDouble() * sum;
            for (int c = 0; c < categories; c++) {
                x -= interest[c];
                if (x < 0) {
                    return c;
                }
            }
            return categories - 1;
        }

        private int drawPopular(int c) {
            double[] cum = rankCumulative[c];
            int k = Arrays.binarySearch(cum, r.nextDouble() * cum[cum.length - 1]);
            k = k >= 0 ? k : -k - 1;
            return byRank[c][Math.min(k, cum.length - 1)];
        }

        private int geometric(double mean) {
            // failures before a success with p = 1 / (1 + mean)
            double p = 1 / (1 + mean);
            return (int) Math.floor(Math.log(1 - r.nextDouble()) / Math.log(1 - p));
        }
    }

    private int indexOf(String itemId) {
        try {
            int i = Integer.parseInt(itemId.substring(1));
            if (itemId.startsWith("i")
                    && i >= 0
                    && i < itemIds.length
                    && itemIds[i].equals(itemId)) {
                return i;
            }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // fall through: not one of ours
        }
        throw new IllegalArgumentException("'" + itemId + "' is not an item of this catalogue");
    }

    private static double exponential(SplittableRandom r) {
        return -Math.log(1 - r.nextDouble());
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; one of the pair is enough here
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble()))
                * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static String[] ids(String prefix, int n, int minDigits) {
        int digits = Math.max(minDigits, Integer.toString(Math.max(0, n - 1)).length());
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = prefix + String.format("%0" + digits + "d", i);
        }
        return out;
    }

    private static int[] shuffled(int n, SplittableRandom r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a, r);
        return a;
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Catalogue and population sizes and the seed. */
    public static final class Builder {
        private int users = 1000;
        private int items = 2000;
        private int categories = 20;
        private long seed = 42;

        private Builder() {}

        public Builder users(int users) {
            this.users = users;
            return this;
        }

        public Builder items(int items) {
            this.items = items;
            return this;
        }

        public Builder categories(int categories) {
            this.categories = categories;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public ClickstreamSimulator build() {
            if (users < 1) {
                throw new IllegalArgumentException("users must be >= 1, got " + users);
            }
            if (categories < 1) {
                throw new IllegalArgumentException("categories must be >= 1, got " + categories);
            }
            if (items < 3 * categories) {
                throw new IllegalArgumentException(
                        "need at least 3 items per category: "
                                + items
                                + " items for "
                                + categories
                                + " categories");
            }
            return new ClickstreamSimulator(this);
        }
    }
}
