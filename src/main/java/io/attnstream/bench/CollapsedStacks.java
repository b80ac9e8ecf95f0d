package io.attnstream.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stacks in async-profiler's collapsed format, recorded with the {@code threads} option: one line
 * per distinct stack, {@code [thread name tid=N];outermost;...;innermost count}. Frames are shown
 * readably: Java frames with dots, generated lambda classes merged, kernel frames marked.
 */
final class CollapsedStacks {
    /** A frame and its share of the samples looked at. */
    record Frame(String name, long samples, double share) {}

    private record Stack(String thread, List<String> frames, long samples) {}

    private static final Pattern THREAD = Pattern.compile("^\\[(.*?)( tid=\\d+)?]$");
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda\\$[0-9]+[./]0x[0-9a-f]+");
    private final List<Stack> stacks = new ArrayList<>();

    static CollapsedStacks parse(String collapsed) {
        CollapsedStacks out = new CollapsedStacks();
        for (String line : collapsed.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            long samples;
            try {
                samples = Long.parseLong(line.substring(space + 1).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            String[] frames = line.substring(0, space).split(";");
            var thread = THREAD.matcher(frames[0]);
            String name = thread.matches() ? thread.group(1) : "?";
            List<String> rest = new ArrayList<>(frames.length);
            for (int i = thread.matches() ? 1 : 0; i < frames.length; i++) {
                rest.add(readable(frames[i]));
            }
            out.stacks.add(new Stack(name, rest, samples));
        }
        return out;
    }

    /**
     * {@code java/util/HashMap.get_[j]} -> {@code java.util.HashMap.get}; kernel frames get "
     * [kernel]".
     */
    static String readable(String frame) {
        boolean kernel = frame.endsWith("_[k]");
        String f = frame.replaceFirst("_\\[[jikf0-9]]$", "");
        f = LAMBDA.matcher(f).replaceAll(Matcher.quoteReplacement("$$Lambda"));
        if (!f.contains("(") && !f.contains(" ") && f.contains("/")) {
            f = f.replace('/', '.'); // a Java frame; C++ frames keep their "::" and arguments
        }
        return kernel ? f + " [kernel]" : f;
    }

    long samples(Predicate<String> thread) {
        return stacks.stream().filter(s -> thread.test(s.thread())).mapToLong(Stack::samples).sum();
    }

    /** Samples by thread group ({@link ThreadCpu#group}), largest first. */
    Map<String, Long> samplesByGroup() {
        Map<String, Long> by = new HashMap<>();
        for (Stack s : stacks) {
            by.merge(ThreadCpu.group(s.thread()), s.samples(), Long::sum);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        by.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Long>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * The {@code n} frames with the most samples at the top of the stack, over the threads chosen.
     */
    List<Frame> topSelf(int n, Predicate<String> thread) {
        Map<String, Long> self = new HashMap<>();
        for (Stack s : stacks) {
            if (thread.test(s.thread()) && !s.frames().isEmpty()) {
                self.merge(s.frames().get(s.frames().size() - 1), s.samples(), Long::sum);
            }
        }
        return top(self, n, samples(thread));
    }

    /**
     * The {@code n} frames on the most stacks (each counted once per stack), over the threads
     * chosen, leaving out the trunk, frames on at least {@code trunkShare} of the samples (thread
     * entry points, the mailbox loop), and the frames {@code skip} names: both tell nothing about
     * where the time goes.
     */
    List<Frame> topInclusive(
            int n, Predicate<String> thread, double trunkShare, Predicate<String> skip) {
        Map<String, Long> inclusive = new HashMap<>();
        for (Stack s : stacks) {
            if (thread.test(s.thread())) {
                for (String f : new HashSet<>(s.frames())) {
                    if (!skip.test(f)) {
                        inclusive.merge(f, s.samples(), Long::sum);
                    }
                }
            }
        }
        long total = samples(thread);
        inclusive.values().removeIf(v -> v >= trunkShare * total);
        return top(inclusive, n, total);
    }

    private static List<Frame> top(Map<String, Long> counts, int n, long total) {
        return counts.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Long>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .map(
                        e ->
                                new Frame(
                                        e.getKey(),
                                        e.getValue(),
                                        total == 0 ? 0 : e.getValue() / (double) total))
                .toList();
    }

    /**
     * Frames that pass records from one operator to the next (Flink's streaming runtime, output
     * collectors, generated lambdas, thread entry points): on almost every stack of a task thread,
     * so their inclusive time says nothing about what costs. The operators, functions, serializers
     * and connectors under them stay.
     */
    static boolean isPlumbing(String frame) {
        return frame.startsWith("org.apache.flink.streaming.runtime.")
                || frame.contains("$$Lambda")
                || frame.startsWith("org.apache.flink.runtime.taskmanager.")
                || frame.startsWith("org.apache.flink.util.")
                || frame.startsWith("org.apache.flink.runtime.execution.")
                || frame.startsWith("java.lang.Thread.")
                || frame.contains(".TimestampedCollector.")
                || frame.contains(".CountingOutput.");
    }

    /** Threads of one group, for the predicates above. */
    static Predicate<String> inGroup(String group) {
        return t -> ThreadCpu.group(t).equals(group);
    }

    static Predicate<String> notInGroups(Set<String> groups) {
        return t -> !groups.contains(ThreadCpu.group(t));
    }
}
