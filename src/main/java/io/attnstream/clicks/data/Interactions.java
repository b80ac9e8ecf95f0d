package io.attnstream.clicks.data;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.schema.ClickEventType;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Time-ordered interactions per user: for every user the items they touched, oldest first,
 * optionally with the event type and event time (epoch ms, UTC) of each. Users keep the order in
 * which they first appear.
 *
 * <p>Loaders (each throws {@link AttnstreamException} naming file, line and column for a malformed
 * line):
 *
 * <ul>
 *   <li>{@link #readUserItemLines}: {@code user item} per line (whitespace-separated), each user's
 *       actions contiguous and in time order (the SASRec files, e.g. amazon-games). No types, no
 *       times;
 *   <li>{@link #readCsv}: {@code user,item,timestamp[,event]} with a header line; each user's rows
 *       sorted by timestamp (stable, so ties keep file order);
 *   <li>{@link #readDiginetica}: the Diginetica item-views file. Every row is a <em>view</em>.
 * </ul>
 */
public final class Interactions {
    /**
     * Epoch numbers below this are seconds, at or above it milliseconds (1e11 s is the year 5138;
     * 1e11 ms 1973).
     */
    static final long SECONDS_LIMIT = 100_000_000_000L;

    private final Map<String, List<String>> sequences;
    private final Map<String, List<ClickEventType>> types; // null: the source has no event types
    private final Map<String, long[]> times; // null: the source has no times
    private final int size;

    private Interactions(
            Map<String, List<String>> sequences,
            Map<String, List<ClickEventType>> types,
            Map<String, long[]> times) {
        this.sequences = Collections.unmodifiableMap(sequences);
        this.types = types == null ? null : Collections.unmodifiableMap(types);
        this.times = times == null ? null : Collections.unmodifiableMap(times);
        this.size = sequences.values().stream().mapToInt(List::size).sum();
    }

    /** Item sequences only; the map's iteration order is the users' order. */
    public static Interactions of(Map<String, List<String>> sequences) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        sequences.forEach((u, items) -> copy.put(u, List.copyOf(items)));
        return new Interactions(copy, null, null);
    }

    /**
     * Interactions with types and times, added one by one (any order; each user's are sorted by
     * time, stably).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects interactions with event types and times. */
    public static final class Builder {
        private final List<Row> rows = new ArrayList<>();

        private Builder() {}

        public Builder add(String user, String item, ClickEventType type, long timeMillis) {
            rows.add(new Row(user, item, type, timeMillis));
            return this;
        }

        public Interactions build() {
            return group(rows);
        }
    }

    /** Per user, oldest first; insertion order of users kept. */
    public Map<String, List<String>> sequences() {
        return sequences;
    }

    public boolean hasEventTypes() {
        return types != null;
    }

    public boolean hasTimes() {
        return times != null;
    }

    /** The event type of each of the user's interactions, parallel to its sequence. */
    public List<ClickEventType> eventTypes(String user) {
        if (types == null) {
            throw new IllegalStateException("these interactions have no event types");
        }
        return types.getOrDefault(user, List.of());
    }

    /**
     * The event time (epoch ms) of each of the user's interactions, parallel to its sequence,
     * non-decreasing.
     */
    public long[] times(String user) {
        if (times == null) {
            throw new IllegalStateException("these interactions have no event times");
        }
        long[] t = times.get(user);
        return t == null ? new long[0] : t.clone();
    }

    public List<String> users() {
        return List.copyOf(sequences.keySet());
    }

    /** Distinct items in order of first appearance. */
    public List<String> items() {
        Set<String> items = new LinkedHashSet<>();
        for (List<String> s : sequences.values()) {
            items.addAll(s);
        }
        return List.copyOf(items);
    }

    /** Number of interactions. */
    public int size() {
        return size;
    }

    /**
     * {@code user item} lines; a user's lines must be contiguous (a user reappearing later is an
     * error).
     */
    public static Interactions readUserItemLines(Path file) {
        Map<String, List<String>> seqs = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            String current = null;
            List<String> items = null;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty()) {
                    continue;
                }
                int sp = indexOfWhitespace(s);
                if (sp < 0) {
                    throw malformed(
                            file,
                            lineNo,
                            2,
                            "expected 'user item', found only one field: '" + s + "'");
                }
                String user = s.substring(0, sp);
                String item = s.substring(sp + 1).strip();
                if (indexOfWhitespace(item) >= 0) {
                    throw malformed(
                            file,
                            lineNo,
                            3,
                            "expected 'user item', found more than two fields: '" + s + "'");
                }
                if (!user.equals(current)) {
                    if (seqs.containsKey(user)) {
                        // Non-contiguous users would silently merge two time orders we cannot
                        // interleave.
                        throw malformed(
                                file,
                                lineNo,
                                1,
                                "user '"
                                        + user
                                        + "' reappears after other users; a user's "
                                        + "lines must be contiguous");
                    }
                    current = user;
                    items = new ArrayList<>();
                    seqs.put(user, items);
                }
                items.add(item);
            }
        } catch (IOException e) {
            throw new AttnstreamException(
                    "cannot read interactions file " + file + ": " + e.getMessage(), e);
        }
        return new Interactions(seqs, null, null);
    }

    /**
     * {@code user,item,timestamp[,event]} with a header line. The timestamp is epoch seconds (below
     * 1e11), epoch milliseconds, an ISO-8601 instant ({@code 2024-05-01T12:00:00Z}) or a UTC local
     * date-time. The event is a {@link ClickEventType} name, case-insensitive ({@code cart}/{@code
     * addtocart} and {@code transaction}/ {@code buy} also accepted); without the column every
     * interaction is a VIEW.
     */
    public static Interactions readCsv(Path file) {
        List<Row> rows = new ArrayList<>();
        boolean withEvents = false;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new AttnstreamException(
                        "interactions file "
                                + file
                                + " is empty (expected a header "
                                + "user,item,timestamp[,event])");
            }
            int columns = header.split(",", -1).length;
            if (columns != 3 && columns != 4) {
                throw malformed(
                        file,
                        1,
                        1,
                        "header must have 3 or 4 columns (user,item,timestamp[,event]), found "
                                + columns);
            }
            withEvents = columns == 4;
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != columns) {
                    throw malformed(
                            file,
                            lineNo,
                            Math.min(f.length, columns) + 1,
                            "expected " + columns + " columns, found " + f.length);
                }
                String user = f[0].strip();
                String item = f[1].strip();
                if (user.isEmpty()) {
                    throw malformed(file, lineNo, 1, "user is empty");
                }
                if (item.isEmpty()) {
                    throw malformed(file, lineNo, 2, "item is empty");
                }
                long time = parseTime(f[2].strip(), file, lineNo, 3);
                ClickEventType type =
                        withEvents ? parseType(f[3].strip(), file, lineNo, 4) : ClickEventType.VIEW;
                rows.add(new Row(user, item, type, time));
            }
        } catch (IOException e) {
            throw new AttnstreamException(
                    "cannot read interactions file " + file + ": " + e.getMessage(), e);
        }
        return group(rows);
    }

    /**
     * The Diginetica (CIKM Cup 2016) item views: {@code
     * session_id;user_id;item_id;timeframe;eventdate} with a header. Every row is a VIEW. The user
     * is {@code user_id}, or {@code "s" + session_id} for anonymous sessions ({@code NA}). A user's
     * views are ordered by eventdate, then timeframe (stable); the event time is eventdate (UTC
     * midnight) plus timeframe milliseconds.
     */
    public static Interactions readDiginetica(Path file) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || header.split(";", -1).length != 5) {
                throw new AttnstreamException(
                        "Diginetica file "
                                + file
                                + " must start with the header "
                                + "session_id;user_id;item_id;timeframe;eventdate");
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(";", -1);
                if (f.length != 5) {
                    throw malformed(
                            file,
                            lineNo,
                            Math.min(f.length, 5) + 1,
                            "expected 5 ';'-separated columns, " + "found " + f.length);
                }
                String session = f[0].strip();
                String userId = f[1].strip();
                String item = f[2].strip();
                if (session.isEmpty()) {
                    throw malformed(file, lineNo, 1, "session_id is empty");
                }
                if (item.isEmpty()) {
                    throw malformed(file, lineNo, 3, "item_id is empty");
                }
                String user = userId.isEmpty() || userId.equals("NA") ? "s" + session : userId;
                long timeframe;
                try {
                    timeframe = Long.parseLong(f[3].strip());
                } catch (NumberFormatException e) {
                    throw malformed(file, lineNo, 4, "timeframe '" + f[3] + "' is not an integer");
                }
                long day;
                try {
                    day =
                            LocalDate.parse(f[4].strip())
                                    .atStartOfDay(ZoneOffset.UTC)
                                    .toInstant()
                                    .toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw malformed(
                            file, lineNo, 5, "eventdate '" + f[4] + "' is not a date (yyyy-mm-dd)");
                }
                rows.add(new Row(user, item, ClickEventType.VIEW, day + timeframe));
            }
        } catch (IOException e) {
            throw new AttnstreamException(
                    "cannot read Diginetica file " + file + ": " + e.getMessage(), e);
        }
        return group(rows);
    }

    private record Row(String user, String item, ClickEventType type, long time) {}

    /** Groups rows by user (first appearance order) and sorts each user's rows by time, stably. */
    private static Interactions group(List<Row> rows) {
        Map<String, List<Row>> byUser = new LinkedHashMap<>();
        for (Row row : rows) {
            byUser.computeIfAbsent(row.user(), u -> new ArrayList<>()).add(row);
        }
        Map<String, List<String>> seqs = new LinkedHashMap<>(byUser.size() * 2);
        Map<String, List<ClickEventType>> types = new LinkedHashMap<>(byUser.size() * 2);
        Map<String, long[]> times = new LinkedHashMap<>(byUser.size() * 2);
        for (Map.Entry<String, List<Row>> e : byUser.entrySet()) {
            List<Row> list = e.getValue();
            list.sort(Comparator.comparingLong(Row::time)); // List.sort is stable
            List<String> items = new ArrayList<>(list.size());
            List<ClickEventType> ts = new ArrayList<>(list.size());
            long[] t = new long[list.size()];
            for (int i = 0; i < list.size(); i++) {
                items.add(list.get(i).item());
                ts.add(list.get(i).type());
                t[i] = list.get(i).time();
            }
            seqs.put(e.getKey(), Collections.unmodifiableList(items));
            types.put(e.getKey(), Collections.unmodifiableList(ts));
            times.put(e.getKey(), t);
        }
        return new Interactions(seqs, types, times);
    }

    private static long parseTime(String s, Path file, int line, int column) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                long n = Long.parseLong(s);
                return n < SECONDS_LIMIT ? n * 1000 : n;
            } catch (NumberFormatException e) {
                throw malformed(file, line, column, "timestamp '" + s + "' is too large");
            }
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw malformed(
                        file,
                        line,
                        column,
                        "timestamp '"
                                + s
                                + "' is neither epoch seconds/ms nor an "
                                + "ISO-8601 time");
            }
        }
    }

    static ClickEventType parseType(String s, Path file, int line, int column) {
        String n = s.toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (n) {
            case "VIEW" -> ClickEventType.VIEW;
            case "CLICK" -> ClickEventType.CLICK;
            case "ADD_TO_CART", "ADDTOCART", "CART" -> ClickEventType.ADD_TO_CART;
            case "PURCHASE", "TRANSACTION", "BUY" -> ClickEventType.PURCHASE;
            default ->
                    throw malformed(
                            file,
                            line,
                            column,
                            "unknown event '"
                                    + s
                                    + "' (expected view, click, "
                                    + "add_to_cart or purchase)");
        };
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static AttnstreamException malformed(Path file, int line, int column, String what) {
        return new AttnstreamException(file + " line " + line + " column " + column + ": " + what);
    }
}
