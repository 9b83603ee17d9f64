package org.livingevidence.support.events;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The thread a Kafka consumer loop runs on until it is closed: pauses that a close cuts short, and a close that wakes
 * the consumer out of a poll and waits for the loop to end. The consumer loops ({@link EventConsumer},
 * {@link InteractiveLane}) share it.
 */
final class ConsumerThread {

    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Consumer<?, ?> consumer;

    ConsumerThread(String name, Runnable loop) {
        this.thread = new Thread(loop, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the loop should go on: false once closed (or interrupted in a pause). */
    boolean running() {
        return running;
    }

    boolean alive() {
        return thread.isAlive();
    }

    /** The consumer a close wakes: the one the loop polls now, or null between consumers. */
    void polling(Consumer<?, ?> current) {
        consumer = current;
    }

    /** Waits {@code duration}, or until closed. */
    void pause(Duration duration) {
        try {
            closing.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Ends the loop: no further pause or poll, the consumer woken, and up to 10 s for the thread to finish. */
    void close() {
        running = false;
        closing.countDown();
        Consumer<?, ?> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
