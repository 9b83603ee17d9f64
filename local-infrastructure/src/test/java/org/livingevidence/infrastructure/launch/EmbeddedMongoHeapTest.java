package org.livingevidence.infrastructure.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmbeddedMongoHeapTest {

    @Test
    void aSizeIsTakenAndNothingMeansTheDefault() {
        assertThat(EmbeddedMongo.heapCap("8g")).isEqualTo("8g");
        assertThat(EmbeddedMongo.heapCap(" 8192m ")).isEqualTo("8192m");
        assertThat(EmbeddedMongo.heapCap(null)).isEqualTo(EmbeddedMongo.DEFAULT_IN_MEMORY_HEAP);
        assertThat(EmbeddedMongo.heapCap("  ")).isEqualTo(EmbeddedMongo.DEFAULT_IN_MEMORY_HEAP);
    }

    @Test
    void anythingButASizeIsRefusedWithTheVariablesName() {
        for (String strange : new String[] {"8", "0g", "eight", "8g -XX:+UseSerialGC", "-8g", "8gb", "99999999999g", "8\u0000g"}) {
            assertThatThrownBy(() -> EmbeddedMongo.heapCap(strange)).as(strange)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EVIDENCE_MONGO_HEAP");
        }
    }
}
