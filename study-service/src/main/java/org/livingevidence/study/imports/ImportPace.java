package org.livingevidence.study.imports;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.livingevidence.study.outcomes.RecordsByHand;

/**
 * While people enter records one at a time on this instance during an upload ({@link RecordsByHand}), imports give
 * way to them: import
 * rows are written at most {@code evidence.imports.while-people-write.rows-per-second} a second (1,000 by default, at
 * least 100; 0 never slows an import), until {@code evidence.imports.while-people-write.window} (60 s, as the relay's
 * person window) after the last such write. With only the relay's publishing paced while people write, an import's
 * rows were still accepted as fast as the instance could, and every stage a curator's record passes through
 * (study-service, MongoDB, the broker, analysis-service) shared the two cores with that: docs/performance.md. A batch
 * waits before it takes its turn to be written, so a waiting import holds no write place, and never past the window's
 * end. One pace for every import on the instance: the rows of all of them together keep to the rate. Per instance:
 * an import on another instance is paced by that instance's people only.
 */
@Singleton
class ImportPace {

    /** How a wait is spent: {@link Thread#sleep} in service, recorded in tests. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    static final int MIN_ROWS_PER_SECOND = 100;

    private final long nanosPerRow;
    private final long windowNanos;
    private final LongSupplier clock;
    private final LongSupplier sincePersonWrote;
    private final Sleeper sleeper;
    private final Counter paced;
    /** When the next rows may be written, while people write (guarded by this). */
    private long nextAt;

    @Inject
    ImportPace(@Value("${evidence.imports.while-people-write.rows-per-second:1000}") int rowsPerSecond,
               @Value("${evidence.imports.while-people-write.window:60s}") Duration window, RecordsByHand byHand,
               MeterRegistry registry) {
        this(rowsPerSecond, window, System::nanoTime, byHand::nanosSinceLast,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)), registry);
    }

    /** {@code sincePersonWrote}: nanoseconds since someone's last single record, {@link Long#MAX_VALUE} for never. */
    ImportPace(int rowsPerSecond, Duration window, LongSupplier clock, LongSupplier sincePersonWrote, Sleeper sleeper,
               MeterRegistry registry) {
        if (rowsPerSecond < 0 || rowsPerSecond > 0 && rowsPerSecond < MIN_ROWS_PER_SECOND) {
            // Slower, a batch of 500 rows would wait minutes, past the patience of the clients waiting for the upload.
            throw new IllegalArgumentException("evidence.imports.while-people-write.rows-per-second must be 0 (no pace) or at least "
                    + MIN_ROWS_PER_SECOND + ", not " + rowsPerSecond);
        }
        if (window.isNegative()) {
            throw new IllegalArgumentException("evidence.imports.while-people-write.window must not be negative, not " + window);
        }
        this.nanosPerRow = rowsPerSecond == 0 ? 0 : 1_000_000_000L / rowsPerSecond;
        this.windowNanos = window.toNanos();
        this.clock = clock;
        this.sincePersonWrote = sincePersonWrote;
        this.sleeper = sleeper;
        this.nextAt = clock.getAsLong();
        this.paced = Counter.builder("evidence.imports.batches.paced")
                .description("import batches that waited because people were writing (evidence.imports.while-people-write.rows-per-second)")
                .register(registry);
    }

    /**
     * Waits, while people write, until {@code rows} more import rows may be written, but never past the window's end;
     * at once otherwise. An interrupt (the service stopping) ends the wait and is kept.
     */
    void awaitTurn(int rows) {
        long wait;
        synchronized (this) {
            long now = clock.getAsLong();
            long since = sincePersonWrote.getAsLong();
            if (nanosPerRow == 0 || since > windowNanos) {
                nextAt = now;
                return;
            }
            // Times compared by difference: nanoTime may be negative.
            long at = nextAt - now > 0 ? nextAt : now;
            nextAt = at + rows * nanosPerRow;
            wait = Math.min(at - now, windowNanos - since);
        }
        if (wait <= 0) {
            return;
        }
        paced.increment();
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
