package io.attnstream.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A benchmark's closing tables: one row per phase (rate, CPU and context switches per record,
 * latency), then each phase's CPU per record by thread group. Figures are over each phase's
 * measurement window; "-" where a phase has none.
 */
final class PhaseTable {
    /**
     * @param column the phase's short name, heading its column in the second table
     * @param perRecord null when the phase measured none
     * @param p50Millis negative for none
     */
    record Row(
            String column,
            String label,
            double rate,
            PerRecord perRecord,
            double p50Millis,
            double p99Millis) {}

    private final String unit;
    private final List<Row> rows = new ArrayList<>();

    /**
     * @param unit what a record is: "record", "reading", "frame"
     */
    PhaseTable(String unit) {
        this.unit = unit;
    }

    PhaseTable add(String column, String label, double rate, PerRecord perRecord) {
        return add(column, label, rate, perRecord, -1, -1);
    }

    PhaseTable add(
            String column,
            String label,
            double rate,
            PerRecord perRecord,
            double p50Millis,
            double p99Millis) {
        rows.add(new Row(column, label, rate, perRecord, p50Millis, p99Millis));
        return this;
    }

    void print(PrintStream console) {
        String head = "%-50s %11s %12s %12s %12s %8s %8s%n";
        console.println();
        console.printf(
                head,
                "phase",
                unit + "s/s",
                "CPU us/" + unit,
                "ctx sw/" + unit,
                "ctx sw/" + unit,
                "p50 ms",
                "p99 ms");
        console.printf(head, "", "", "excl. broker", "all threads", "excl. broker", "", "");
        for (Row r : rows) {
            PerRecord p = r.perRecord();
            console.printf(
                    head,
                    r.label(),
                    fmt(r.rate()),
                    p == null ? "-" : fmt(p.cpuMicrosExcludingBroker()),
                    p == null || p.contextSwitchesByGroup().isEmpty()
                            ? "-"
                            : fmt(p.contextSwitches()),
                    p == null || p.contextSwitchesByGroup().isEmpty()
                            ? "-"
                            : fmt(p.contextSwitchesExcludingBroker()),
                    r.p50Millis() < 0 ? "-" : fmt(r.p50Millis()),
                    r.p99Millis() < 0 ? "-" : fmt(r.p99Millis()));
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Row r : rows) {
            if (r.perRecord() != null) {
                groups.addAll(r.perRecord().cpuMicrosByGroup().keySet());
            }
        }
        console.println();
        StringBuilder header =
                new StringBuilder(
                        String.format("%-40s", "CPU us per " + unit + " by thread group"));
        for (Row r : rows) {
            header.append(String.format(" %9s", r.column()));
        }
        console.println(header);
        for (String g : groups) {
            console.println(
                    line(
                            g.equals(ThreadCpu.JIT) ? g + " (not in total)" : g,
                            r -> r.cpuMicrosByGroup().get(g)));
        }
        console.println(
                line("total, broker and JIT excluded", PerRecord::cpuMicrosExcludingBroker));
        console.println(line(ThreadCpu.BROKER, PerRecord::brokerCpuMicros));
    }

    private String line(String name, Function<PerRecord, Double> value) {
        StringBuilder s =
                new StringBuilder(
                        String.format("%-40s", name.length() > 40 ? name.substring(0, 40) : name));
        for (Row r : rows) {
            Double v = r.perRecord() == null ? null : value.apply(r.perRecord());
            s.append(String.format(" %9s", v == null ? "-" : fmt(v)));
        }
        return s.toString();
    }

    static String fmt(double x) {
        if (x >= 100) {
            return String.format("%.0f", x);
        }
        return x >= 10 ? String.format("%.1f", x) : String.format("%.2f", x);
    }
}
