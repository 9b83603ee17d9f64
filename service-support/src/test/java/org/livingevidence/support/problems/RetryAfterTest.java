package org.livingevidence.support.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    @Test
    void waitsAreSpreadFromTheBaseToTwiceItEachEquallyLikely() {
        Map<Integer, Integer> drawn = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            drawn.merge(RetryAfter.spread(2), 1, Integer::sum);
        }
        assertThat(drawn).containsOnlyKeys(2, 3, 4);
        // About 1,000 each: a draw that favoured one value (or never left the base) would fall far outside.
        assertThat(drawn.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1_200));
    }

    @Test
    void aWaitUnderOneSecondIsRefused() {
        assertThatThrownBy(() -> RetryAfter.spread(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
