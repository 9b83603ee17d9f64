package org.livingevidence.study.imports;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The bound on import batches written at once: below 1 nothing could ever be written, so start-up stops, naming it. */
class RowImportSettingsTest {

    @Test
    void fewerThanOneConcurrentWriteIsRefusedNamingTheSetting() {
        for (int refused : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> new RowImport(null, null, refused, new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evidence.imports.concurrent-writes").hasMessageContaining(Integer.toString(refused));
        }
    }

    @Test
    void oneOrAnyLargerNumberIsTaken() {
        assertThatCode(() -> new RowImport(null, null, 1, new SimpleMeterRegistry())).doesNotThrowAnyException();
        assertThatCode(() -> new RowImport(null, null, Integer.MAX_VALUE, new SimpleMeterRegistry())).doesNotThrowAnyException();
    }
}
