package io.attnstream.bench;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * This JVM's native threads as Linux reports them under {@code /proc/self/task}: context switches
 * from each thread's {@code status}, CPU time from its {@code schedstat}, and the JVM's name of
 * each thread id from a thread dump (the kernel's {@code comm} keeps only 15 characters, too few to
 * tell a batcher from a worker).
 */
final class ProcThreads {
    /**
     * A thread's name and its Java thread id, or -1 for the JVM's own native threads (GC, VM
     * thread). Some Java threads (the JIT compilers, the service thread) are hidden from the
     * ThreadMXBean all the same.
     */
    record Named(String name, long javaId) {}

    private static final File TASKS = new File("/proc/self/task");
    private static final Pattern DUMP_LINE =
            Pattern.compile("^\"(.*)\" (?:#(\\d+) )?.*\\bnid=(0x[0-9a-fA-F]+|\\d+)");
    private final byte[] buffer = new byte[8192];

    /** Whether /proc is there (Linux). */
    static boolean available() {
        return TASKS.isDirectory();
    }

    /** Thread ids of this process now; empty where /proc is not available. */
    int[] tids() {
        String[] names = TASKS.list();
        if (names == null) {
            return new int[0];
        }
        int[] out = new int[names.length];
        int n = 0;
        for (String s : names) {
            try {
                out[n++] = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                // not a thread directory
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Voluntary + nonvoluntary context switches of the thread so far, or -1 when it has ended. */
    long contextSwitches(int tid) {
        String status = read(tid, "status");
        return status == null ? -1 : contextSwitches(status);
    }

    /** CPU nanoseconds the thread ran so far, or -1 when it has ended. */
    long cpuNanos(int tid) {
        String schedstat = read(tid, "schedstat");
        return schedstat == null ? -1 : runNanos(schedstat);
    }

    /** Context switches of the calling thread so far, or -1 where /proc is not available. */
    static long currentThreadContextSwitches() {
        try {
            return contextSwitches(
                    Files.readString(
                            Path.of("/proc/thread-self/status"), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return -1;
        }
    }

    /** The kernel's (15-character) name of the thread, or null when it has ended. */
    String comm(int tid) {
        String comm = read(tid, "comm");
        return comm == null ? null : comm.strip();
    }

    private String read(int tid, String file) {
        try (FileInputStream in = new FileInputStream(TASKS.getPath() + "/" + tid + "/" + file)) {
            int n = 0;
            int r;
            while (n < buffer.length && (r = in.read(buffer, n, buffer.length - n)) > 0) {
                n += r;
            }
            return new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null; // the thread ended
        }
    }

    /**
     * Voluntary + nonvoluntary context switches in a {@code /proc/.../status} text; -1 without
     * them.
     */
    static long contextSwitches(String status) {
        long voluntary = field(status, "voluntary_ctxt_switches:");
        long nonvoluntary = field(status, "nonvoluntary_ctxt_switches:");
        return voluntary < 0 || nonvoluntary < 0 ? -1 : voluntary + nonvoluntary;
    }

    private static long field(String status, String key) {
        int at = status.startsWith(key) ? 0 : status.indexOf("\n" + key);
        if (at < 0) {
            return -1;
        }
        int from = status.indexOf(':', at) + 1;
        int end = status.indexOf('\n', from);
        try {
            return Long.parseLong(status.substring(from, end < 0 ? status.length() : end).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The first field of a {@code schedstat} text: nanoseconds on the CPU; -1 if unreadable. */
    static long runNanos(String schedstat) {
        String[] f = schedstat.strip().split("\\s+");
        try {
            return Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The JVM's threads by native id, from a thread dump ({@code jcmd Thread.print}'s text). */
    static Map<Integer, Named> parseThreadDump(String dump) {
        Map<Integer, Named> out = new HashMap<>();
        for (String line : dump.split("\n")) {
            Matcher m = DUMP_LINE.matcher(line);
            if (m.find()) {
                String nid = m.group(3);
                int tid =
                        nid.startsWith("0x")
                                ? Integer.parseInt(nid.substring(2), 16)
                                : Integer.parseInt(nid);
                out.put(
                        tid,
                        new Named(
                                m.group(1), m.group(2) == null ? -1 : Long.parseLong(m.group(2))));
            }
        }
        return out;
    }

    /** This JVM's threads by native id now; empty if the diagnostic command is not available. */
    static Map<Integer, Named> threadDump() {
        try {
            Object dump =
                    ManagementFactory.getPlatformMBeanServer()
                            .invoke(
                                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                    "threadPrint",
                                    new Object[] {new String[0]},
                                    new String[] {String[].class.getName()});
            return parseThreadDump((String) dump);
        } catch (Exception e) {
            return Map.of();
        }
    }
}
