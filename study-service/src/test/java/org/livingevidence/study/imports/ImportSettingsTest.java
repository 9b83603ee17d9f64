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

    @Test
    void fewerThanOneUploadPlaceIsRefusedNamingTheSetting() {
        for (int refused : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> new UploadAdmission(refused, new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evidence.imports.concurrent-uploads").hasMessageContaining(Integer.toString(refused));
        }
        assertThatCode(() -> new UploadAdmission(1, new SimpleMeterRegistry())).doesNotThrowAnyException();
        assertThatCode(() -> new UploadAdmission(Integer.MAX_VALUE, new SimpleMeterRegistry())).doesNotThrowAnyException();
    }

    @Test
    void aReceiveTimeThatIsNotPositiveIsRefusedNamingTheSetting() {
        for (java.time.Duration refused : new java.time.Duration[] {java.time.Duration.ZERO, java.time.Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> new UploadCaps(refused)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evidence.imports.receive-within");
        }
        assertThat(new UploadCaps(java.time.Duration.ofMinutes(2)).startingNow().receiveWithin()).isEqualTo(java.time.Duration.ofMinutes(2));
    }
}
