package org.livingevidence.support.work;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background thread that runs a step again and again: at once while the step asks for it (it found work, and may
 * have more), after the poll interval (or an earlier {@link #wake()}) when it does not, and after a growing pause (up
 * to 10 s) when it fails.
 * The outbox relay and the webhook delivery worker both run on it.
 */
public final class PollingWorker implements AutoCloseable {

    /** One unit of work. */
    @FunctionalInterface
    public interface Step {
        /** Does some work; true to run again at once (it did some, and there may be more), false to wait. */
        boolean runOnce() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PollingWorker.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final String name;
    private final Duration pollInterval;
    private final Step step;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public PollingWorker(String name, Duration pollInterval, Step step) {
        this.name = name;
        this.pollInterval = pollInterval;
        this.step = step;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Work has just arrived: run the step now rather than at the next poll. */
    public void wake() {
        wake.release();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try {
                // Cleared before the step, not after: a wake() that arrives while the step runs must run it again.
                wake.drainPermits();
                boolean worked = step.runOnce();
                backoff = FIRST_BACKOFF;
                if (!worked) {
                    wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("{} failed ({}); retrying in {} ms", name, e.toString(), backoff.toMillis());
                if (!pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        wake.release();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
