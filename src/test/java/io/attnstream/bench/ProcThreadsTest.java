package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reading /proc/self/task and thread dumps, from fixtures and from this JVM. */
class ProcThreadsTest {
    /** A thread's status as Linux 6.x writes it, shortened. */
    private static final String STATUS =
            """
            Name:	C2 CompilerThre
            Umask:	0022
            State:	S (sleeping)
            Tgid:	7649
            Pid:	7663
            VmRSS:	  123456 kB
            Cpus_allowed_list:	0-1
            voluntary_ctxt_switches:	1532
            nonvoluntary_ctxt_switches:	87
            """;

    @Test
    void contextSwitchesAreVoluntaryPlusNonvoluntary() {
        assertThat(ProcThreads.contextSwitches(STATUS)).isEqualTo(1532 + 87);
        // "voluntary_ctxt_switches" is a suffix of "nonvoluntary_ctxt_switches": each is read from
        // its own line
        assertThat(
                        ProcThreads.contextSwitches(
                                "nonvoluntary_ctxt_switches:\t5\nvoluntary_ctxt_switches:\t7\n"))
                .isEqualTo(12);
        assertThat(ProcThreads.contextSwitches("Name:\tjava\nState:\tR\n")).isEqualTo(-1);
    }

    @Test
    void schedstatsFirstFieldIsTheTimeOnTheCpu() {
        assertThat(ProcThreads.runNanos("13572868 1208 41\n")).isEqualTo(13_572_868L);
        assertThat(ProcThreads.runNanos("x")).isEqualTo(-1);
    }

    @Test
    void threadDumpNamesNativeIdsInHexAndDecimalAndTellsJavaThreadsFromTheJvmsOwn() {
        String dump =
                // CHECKSTYLE.OFF: LineLength|RegexpSinglelineJava (a verbatim sample)
                """
                2025-12-01 20:14:45
                Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):

                "main" #1 prio=5 os_prio=0 cpu=223.87ms elapsed=0.48s tid=0x00007fd764017ed0 nid=0x1de3 waiting on condition  [0x00007fd76b31e000]
                   java.lang.Thread.State: TIMED_WAITING (sleeping)
                \tat java.lang.Thread.sleep(java.base@17.0.15/Native Method)

                "kafka-producer-network-thread | bench-b" #58 daemon prio=5 os_prio=0 cpu=1.00ms elapsed=2.00s tid=0x00007fd7 nid=0x1e00 runnable  [0x0]
                "VM Thread" os_prio=0 cpu=5.89ms elapsed=0.43s tid=0x00007fd7640f4420 nid=0x1de9 runnable
                "GC Thread#0" os_prio=0 cpu=0.52ms elapsed=0.47s tid=0x00007fd764041640 nid=0x1de4 runnable
                "worker" #30 [8123] daemon prio=5 os_prio=0 cpu=1.00ms elapsed=2.00s tid=0x00007f nid=8123 waiting on condition
                """;
        // CHECKSTYLE.ON: LineLength|RegexpSinglelineJava
        Map<Integer, ProcThreads.Named> threads = ProcThreads.parseThreadDump(dump);
        assertThat(threads).containsOnlyKeys(0x1de3, 0x1e00, 0x1de9, 0x1de4, 8123);
        assertThat(threads.get(0x1de3)).isEqualTo(new ProcThreads.Named("main", 1));
        assertThat(threads.get(0x1e00))
                .isEqualTo(new ProcThreads.Named("kafka-producer-network-thread | bench-b", 58));
        assertThat(threads.get(0x1de9)).isEqualTo(new ProcThreads.Named("VM Thread", -1));
        assertThat(threads.get(0x1de4)).isEqualTo(new ProcThreads.Named("GC Thread#0", -1));
        assertThat(threads.get(8123))
                .isEqualTo(new ProcThreads.Named("worker", 30)); // JDK 19+ format
    }

    @Test
    void thisJvmsDumpNamesItsThreadsAndSleepingSwitchesContext() throws Exception {
        Assumptions.assumeTrue(ProcThreads.available(), "Linux only");
        Thread t =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(60_000);
                            } catch (InterruptedException e) {
                                // done
                            }
                        },
                        "proc-threads-test-sleeper");
        t.start();
        try {
            Thread.sleep(50);
            assertThat(ProcThreads.threadDump().values())
                    .extracting(ProcThreads.Named::name)
                    .contains("proc-threads-test-sleeper", "main");
        } finally {
            t.interrupt();
        }
        long before = ProcThreads.currentThreadContextSwitches();
        for (int i = 0; i < 5; i++) {
            Thread.sleep(2);
        }
        assertThat(ProcThreads.currentThreadContextSwitches() - before).isGreaterThanOrEqualTo(5);
    }
}
