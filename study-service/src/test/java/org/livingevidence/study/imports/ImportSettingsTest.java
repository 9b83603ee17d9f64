package org.livingevidence.study.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The bounds on imports (batches written at once, uploads in progress, the time an upload may take to arrive): a
 * bound that leaves nothing possible stops start-up, naming the setting.
 */
class ImportSettingsTest {

    @Test
    void fewerThanOneConcurrentWriteIsRefusedNamingTheSetting() {
        for (int refused : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> new RowImport(null, null, refused, null, new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evidence.imports.concurrent-writes").hasMessageContaining(Integer.toString(refused));
        }
    }

    @Test
    void oneOrAnyLargerNumberIsTaken() {
        assertThatCode(() -> new RowImport(null, null, 1, null, new SimpleMeterRegistry())).doesNotThrowAnyException();
        assertThatCode(() -> new RowImport(null, null, Integer.MAX_VALUE, null, new SimpleMeterRegistry())).doesNotThrowAnyException();
    }

    @Test
    void fewerThanOneUploadPlaceIsRefusedNamingTheSetting() {
        for (int refused : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> new UploadAdmission(refused, new org.livingevidence.study.outcomes.RecordsByHand(), new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evidence.imports.concurrent-uploads").hasMessageContaining(Integer.toString(refused));
        }
        assertThatCode(() -> new UploadAdmission(1, new org.livingevidence.study.outcomes.RecordsByHand(), new SimpleMeterRegistry())).doesNotThrowAnyException();
        assertThatCode(() -> new UploadAdmission(Integer.MAX_VALUE, new org.livingevidence.study.outcomes.RecordsByHand(), new SimpleMeterRegistry())).doesNotThrowAnyException();
    }

    @Test
    void aReceiveTimeThatIsNotPositiveIsRefusedNamingTheSetting() {
        for (java.time.Duration refused : new java.time.Duration[] {java.time.Duration.ZERO, java.time.Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> new UploadCaps(refused)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evidence.imports.receive-within");
        }
        try (UploadCaps caps = new UploadCaps(java.time.Duration.ofMinutes(2))) {
            assertThat(caps.read(ImportRows.Caps::receiveWithin)).isEqualTo(java.time.Duration.ofMinutes(2));
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aReadStillWaitingForBytesAtTheDeadlineIsWokenAndAnswered408AndTheThreadIsNotLeftInterrupted() throws Exception {
        try (UploadCaps caps = new UploadCaps(java.time.Duration.ofMillis(300));
             java.io.PipedOutputStream silentClient = new java.io.PipedOutputStream();
             java.io.PipedInputStream upload = new java.io.PipedInputStream(silentClient)) {
            long start = System.nanoTime();
            Throwable answer = org.assertj.core.api.Assertions.catchThrowable(() -> caps.read(c -> {
                try {
                    return ImportRows.bounded(upload, c).read();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
            assertThat(answer).isInstanceOf(org.livingevidence.support.problems.InputProblem.class);
            assertThat(((org.livingevidence.support.problems.InputProblem) answer).status()).isEqualTo(408);
            assertThat(answer).hasMessageContaining("was still arriving after");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    void aReadBusyPastTheDeadlineWithoutWaitingKeepsItsResultAndLeavesTheThreadUninterrupted() {
        try (UploadCaps caps = new UploadCaps(java.time.Duration.ofMillis(100))) {
            // The alarm's interrupt lands while nothing waits to be woken by it (a parse of bytes already received):
            // the read's result stands, and the flag must not outlive the read.
            String read = caps.read(c -> {
                long until = System.nanoTime() + java.time.Duration.ofMillis(400).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return "parsed";
            });
            assertThat(read).isEqualTo("parsed");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    void bytesArrivingAfterTheDeadlineAreRefusedAsTooSlow() {
        ImportRows.Caps late = new ImportRows.Caps(1_000, 10, 100, java.time.Duration.ofSeconds(3), System.nanoTime() - 1);
        assertThatThrownBy(() -> ImportRows.bounded(new java.io.ByteArrayInputStream(new byte[] {1, 2}), late).read())
                .isInstanceOf(ImportRows.TooSlow.class).hasMessageContaining("was still arriving after 3 seconds");
        ImportRows.Caps inTime = new ImportRows.Caps(1_000, 10, 100, java.time.Duration.ofSeconds(3),
                System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos());
        assertThatCode(() -> ImportRows.bounded(new java.io.ByteArrayInputStream(new byte[] {1, 2}), inTime).readAllBytes())
                .doesNotThrowAnyException();
    }

    @Test
    void aReadThatEndsBeforeTheDeadlineIsNeverInterruptedAfterwards() throws Exception {
        try (UploadCaps caps = new UploadCaps(java.time.Duration.ofMillis(50))) {
            String read = caps.read(c -> "read");
            assertThat(read).isEqualTo("read");
            Thread.sleep(300); // past the deadline: the alarm was cancelled, and could not interrupt anyway
            assertThat(Thread.interrupted()).isFalse();
        }
    }
}
