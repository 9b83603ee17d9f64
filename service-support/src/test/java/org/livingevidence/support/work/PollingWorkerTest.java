package org.livingevidence.support.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker's policies, with a poll interval of an hour so that only they can explain a run. */
class PollingWorkerTest {

    private static final Duration NEVER = Duration.ofHours(1);

    @Test
    void runsAgainAtOnceWhileTheStepFindsWork() {
        AtomicInteger runs = new AtomicInteger();
        try (PollingWorker worker = new PollingWorker("test", NEVER, () -> runs.incrementAndGet() < 5)) {
            worker.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 5);
        }
        assertThat(runs.get()).isEqualTo(5);
    }

    @Test
    void aWakeRunsTheStepBeforeThePollInterval() {
        AtomicInteger runs = new AtomicInteger();
        try (PollingWorker worker = new PollingWorker("test", NEVER, () -> {
            runs.incrementAndGet();
            return false;
        })) {
            worker.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
            worker.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
        }
    }

    @Test
    void aWakeDuringAStepThatFoundNothingIsNotLost() throws Exception {
        // The write lands (and wakes the worker) after the step looked and before it returned "nothing".
        CountDownLatch inFirstStep = new CountDownLatch(1);
        CountDownLatch woken = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (PollingWorker worker = new PollingWorker("test", NEVER, () -> {
            if (runs.incrementAndGet() == 1) {
                inFirstStep.countDown();
                woken.await(5, TimeUnit.SECONDS);
            }
            return false;
        })) {
            worker.start();
            assertThat(inFirstStep.await(5, TimeUnit.SECONDS)).isTrue();
            worker.wake();
            woken.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 2);
        }
    }

    @Test
    void aFailingStepIsRetriedAndTheWorkerCarriesOn() {
        AtomicInteger runs = new AtomicInteger();
        try (PollingWorker worker = new PollingWorker("test", NEVER, () -> {
            int run = runs.incrementAndGet();
            if (run <= 2) {
                throw new IllegalStateException("dependency away");
            }
            return run < 4;
        })) {
            worker.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 4);
        }
    }

    @Test
    void closeStopsTheThread() {
        AtomicInteger runs = new AtomicInteger();
        PollingWorker worker = new PollingWorker("test", Duration.ofMillis(5), () -> {
            runs.incrementAndGet();
            return false;
        });
        worker.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() > 2);
        worker.close();
        int afterClose = runs.get();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() == afterClose);
    }
}
