package org.livingevidence.analysis.analyses;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.livingevidence.support.problems.InputProblem;

/**
 * How many stateless analyses run at once ({@code evidence.analyses.concurrency}, by default one core fewer than the
 * machine has, at least one, so the event loop and the living pipeline keep a core) and how many may wait
 * ({@code evidence.analyses.queue}). Beyond that, 429: the caller retries after {@code Retry-After} seconds.
 */
@Singleton
public class AnalysisCapacity {

    static final int RETRY_AFTER_SECONDS = 2;

    private final ThreadPoolExecutor executor;

    AnalysisCapacity(@Value("${evidence.analyses.concurrency:0}") int concurrency, @Value("${evidence.analyses.queue:8}") int queue) {
        int threads = concurrency > 0 ? concurrency : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, queue)), r -> {
            Thread t = new Thread(r, "analysis-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    public ExecutorService executor() {
        return executor;
    }

    /** Every slot busy and the queue full: a new analysis would be refused anyway. */
    boolean saturated() {
        return executor.getActiveCount() >= executor.getMaximumPoolSize() && executor.getQueue().remainingCapacity() == 0;
    }

    /** 429 with Retry-After: every analysis slot and queue place is taken. */
    public InputProblem busy() {
        return InputProblem.tooManyRequests("every analysis slot is busy", "not analysed: the service is at capacity", RETRY_AFTER_SECONDS);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
