package org.livingevidence.study.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pace imports keep while people write, on a clock the test moves: waits are recorded, not slept. */
class ImportPaceTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    /** When the person last wrote, on the test's clock; null: never. */
    private Long personAt;
    private final List<Long> waits = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ImportPace pace(int rowsPerSecond) {
        return new ImportPace(rowsPerSecond, Duration.ofSeconds(60), now::get, this::sincePersonWrote, nanos -> {
            waits.add(nanos);
            now.addAndGet(nanos);
        }, registry);
    }

    private long sincePersonWrote() {
        return personAt == null ? Long.MAX_VALUE : now.get() - personAt;
    }

    private void personWrote() {
        personAt = now.get();
    }

    private double paced() {
        return registry.get("evidence.imports.batches.paced").counter().count();
    }

    @Test
    void withNobodyWritingAnImportNeverWaits() {
        ImportPace pace = pace(500);
        for (int batch = 0; batch < 10; batch++) {
            pace.awaitTurn(500);
        }
        assertThat(waits).isEmpty();
        assertThat(paced()).isZero();
    }

    @Test
    void whilePeopleWriteBatchesAreSpacedToTheRateAcrossImports() {
        ImportPace pace = pace(500);
        personWrote();
        pace.awaitTurn(100); // the first goes at once
        pace.awaitTurn(250); // 100 rows at 500 a second: 200 ms after the first
        pace.awaitTurn(100); // then 250 rows' worth: 500 ms after the second
        assertThat(waits).containsExactly(Duration.ofMillis(200).toNanos(), Duration.ofMillis(500).toNanos());
        assertThat(paced()).isEqualTo(2);

        // Time that passed on its own counts: a batch that comes late has nothing left to wait.
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        pace.awaitTurn(100);
        assertThat(waits).hasSize(2);
    }

    @Test
    void theWindowClosesAfterThePersonsLastWriteAndAnotherWriteOpensItAgain() {
        ImportPace pace = pace(500);
        personWrote();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        personWrote();
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        pace.awaitTurn(500);
        pace.awaitTurn(500);
        assertThat(waits).containsExactly(Duration.ofSeconds(1).toNanos());

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        pace.awaitTurn(500);
        pace.awaitTurn(500);
        assertThat(waits).hasSize(1);

        personWrote();
        pace.awaitTurn(500);
        pace.awaitTurn(500);
        assertThat(waits).hasSize(2);
    }

    @Test
    void aRateOfZeroNeverSlowsAnImportAndANegativeOrVerySlowOneIsRefusedNamingTheSetting() {
        ImportPace pace = pace(0);
        personWrote();
        pace.awaitTurn(500);
        pace.awaitTurn(500);
        assertThat(waits).isEmpty();
        for (int refused : new int[] {-1, 1, 99}) {
            assertThatThrownBy(() -> pace(refused)).as("%d rows a second", refused).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evidence.imports.while-people-write.rows-per-second");
        }
        pace(100);
    }

    @Test
    void aClockThatReadsNegativeNumbersPacesAlike() {
        now.set(Long.MIN_VALUE / 4); // nanoTime may be negative: a person's write before the first import must not book a wait from 0
        ImportPace pace = pace(500);
        personWrote();
        pace.awaitTurn(100);
        pace.awaitTurn(100);
        assertThat(waits).containsExactly(Duration.ofMillis(200).toNanos());
    }

    @Test
    void aWaitNeverOutlastsTheWindow() {
        ImportPace pace = pace(100); // 500 rows: 5 s a batch
        personWrote();
        now.addAndGet(Duration.ofSeconds(57).toNanos());
        pace.awaitTurn(500);
        pace.awaitTurn(500); // booked 5 s after the first, but the window ends 3 s from now
        assertThat(waits).containsExactly(Duration.ofSeconds(3).toNanos());
    }

    @Test
    void anInterruptedWaitEndsAndKeepsTheInterrupt() {
        ImportPace pace = new ImportPace(100, Duration.ofSeconds(60), now::get, this::sincePersonWrote, nanos -> {
            throw new InterruptedException();
        }, registry);
        personWrote();
        pace.awaitTurn(500);
        pace.awaitTurn(500);
        assertThat(Thread.interrupted()).isTrue();
    }
}
