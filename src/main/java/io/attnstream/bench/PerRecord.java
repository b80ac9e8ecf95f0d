package io.attnstream.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A phase's cost per record over a window: CPU microseconds by thread group and context switches,
 * from what the threads did ({@link ThreadCpu.Usage}) and how many records went through meanwhile.
 *
 * <p>The job's threads are all but the benchmark's own (its producers, readers and samplers) and
 * the main thread (job submission; the latency phases' producer loop). The in-process broker is one
 * of them but is reported apart and left out of the "excluding broker" figures: a deployment runs
 * it on other machines. The JIT compiler's CPU is in the groups but not in the total: it is
 * warm-up, which a long-running job does not pay per record, but which dominates a phase of a few
 * seconds.
 *
 * @param cpuMicrosByGroup the job's groups but the broker's, per record
 * @param cpuMicrosExcludingBroker their sum, the JIT compiler's left out
 * @param contextSwitches per record, over all the job's threads (the broker's included)
 */
record PerRecord(
        long records,
        double seconds,
        Map<String, Double> cpuMicrosByGroup,
        double cpuMicrosExcludingBroker,
        double brokerCpuMicros,
        double contextSwitches,
        double contextSwitchesExcludingBroker,
        Map<String, Double> contextSwitchesByGroup) {

    static PerRecord of(ThreadCpu.Usage u, long records) {
        double n = Math.max(1, records);
        Map<String, Double> cpu = new TreeMap<>();
        double total = 0;
        double broker = 0;
        for (var e : u.cpuSecondsByGroup().entrySet()) {
            double micros = e.getValue() * 1e6 / n;
            if (e.getKey().equals(ThreadCpu.BROKER)) {
                broker = micros;
            } else if (isJob(e.getKey())) {
                cpu.put(e.getKey(), micros);
                total += e.getKey().equals(ThreadCpu.JIT) ? 0 : micros;
            }
        }
        Map<String, Double> cs = new TreeMap<>();
        double all = 0;
        double brokerSwitches = 0;
        for (var e : u.contextSwitchesByGroup().entrySet()) {
            if (isJob(e.getKey())) {
                double perRecord = e.getValue() / n;
                cs.put(e.getKey(), perRecord);
                all += perRecord;
                if (e.getKey().equals(ThreadCpu.BROKER)) {
                    brokerSwitches = perRecord;
                }
            }
        }
        return new PerRecord(
                records, u.wallSeconds(), cpu, total, broker, all, all - brokerSwitches, cs);
    }

    private static boolean isJob(String group) {
        return !group.equals(ThreadCpu.BENCH_DRIVER) && !group.equals(ThreadCpu.MAIN);
    }

    double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    /** The report's section; {@code unit} names a record ("record", "reading", "frame"). */
    Map<String, Object> toReport(String unit) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(unit + "s", records);
        r.put("seconds", BenchStats.round(seconds));
        r.put(unit + "s_per_second", BenchStats.round(recordsPerSecond()));
        r.put(
                "cpu_us_per_" + unit + "_excluding_broker",
                BenchStats.round(cpuMicrosExcludingBroker));
        r.put("cpu_us_per_" + unit + "_by_thread_group", rounded(cpuMicrosByGroup));
        r.put("broker_cpu_us_per_" + unit, BenchStats.round(brokerCpuMicros));
        r.put("context_switches_per_" + unit, BenchStats.round(contextSwitches));
        r.put(
                "context_switches_per_" + unit + "_excluding_broker",
                BenchStats.round(contextSwitchesExcludingBroker));
        r.put("context_switches_per_" + unit + "_by_thread_group", rounded(contextSwitchesByGroup));
        return r;
    }

    /**
     * One console line for a phase's window, or a line saying there was none.
     *
     * @param unit what one record is ("record", "reading", "frame")
     * @param millis CPU in milliseconds per record instead of microseconds (video frames)
     */
    static void print(PrintStream console, String phase, PerRecord p, String unit, boolean millis) {
        if (p == null) {
            console.printf("(%s) no measurement window: too few outputs%n", phase);
            return;
        }
        double scale = millis ? 1000 : 1;
        String cpu = millis ? "ms" : "us";
        console.printf(
                "(%s) window (%d %ss, %.2f s): %.2f CPU %s per %s outside the broker %s, broker"
                        + " %.2f; %.3f context switches per %s (%.3f outside the broker)%n",
                phase,
                p.records(),
                unit,
                p.seconds(),
                p.cpuMicrosExcludingBroker() / scale,
                cpu,
                unit,
                rounded(p.cpuMicrosByGroup()),
                p.brokerCpuMicros() / scale,
                p.contextSwitches(),
                unit,
                p.contextSwitchesExcludingBroker());
    }

    static Map<String, Double> rounded(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, BenchStats.round(v)));
        return out;
    }
}
