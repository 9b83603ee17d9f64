package org.livingevidence.study.revisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WrittenToHistoryTest {

    @Test
    void answersEachNotedEventOnceAndForgetsTheOldestBeyondItsLimit() {
        WrittenToHistory written = new WrittenToHistory();
        written.written(IntStream.rangeClosed(0, WrittenToHistory.LIMIT).mapToObj(i -> "e" + i).toList());

        assertThat(written.size()).isEqualTo(WrittenToHistory.LIMIT);
        assertThat(written.take("e0")).isFalse();
        assertThat(written.take("e1")).isTrue();
        assertThat(written.take("e1")).isFalse();
        assertThat(written.take("e" + WrittenToHistory.LIMIT)).isTrue();
        written.written(List.of("again"));
        assertThat(written.take("again")).isTrue();
    }
}
