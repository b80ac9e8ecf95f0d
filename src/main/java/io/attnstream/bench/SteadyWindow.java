package io.attnstream.bench;

import io.attnstream.platform.KafkaSettings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The steady state of a throughput phase, marked live: its meter starts when 10 % of the expected
 * outputs are on the output topic and ends when 90 % are (the topic's end offsets, polled every 25
 * ms), the same share of the outputs the steady rates are taken from. Start-up, model loading and
 * the drain stay outside the window. The figures count the records between the two marks, so the
 * polling interval moves the window, not the per-record arithmetic; answering the polls (40/s) is a
 * little of the broker's work in the window.
 */
final class SteadyWindow implements AutoCloseable {
    static final double FROM = 0.1;
    static final double TO = 0.9;
    private static final long POLL_MILLIS = 25;
    private final PhaseMeter meter;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final BenchJobs.RecordCounter counter;
    private final CompletableFuture<Void> poller;

    SteadyWindow(KafkaSettings kafka, String topic, long expected, PhaseMeter meter) {
        this.meter = meter;
        this.counter = new BenchJobs.RecordCounter(kafka, topic);
        long from = (long) Math.ceil(expected * FROM);
        long to = (long) Math.ceil(expected * TO);
        poller =
                BenchJobs.inBackground(
                        "window-" + meter.phase(),
                        () -> {
                            while (running.get()) {
                                long n = counter.count();
                                if (n >= from) {
                                    meter.start(n);
                                }
                                if (n >= to) {
                                    meter.end(n);
                                    return;
                                }
                                try {
                                    Thread.sleep(POLL_MILLIS);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
    }

    /**
     * Stops following; a window the outputs never closed (fewer than expected) ends here, with what
     * arrived.
     */
    @Override
    public void close() throws Exception {
        running.set(false);
        poller.get(30, TimeUnit.SECONDS);
        long n = counter.count();
        counter.close();
        meter.end(n);
    }
}
