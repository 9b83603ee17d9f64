package org.livingevidence.study.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A record entered by hand counts only while an upload is under way (the imports' pace, as the relay's person window). */
class RecordsByHandTest {

    @Test
    void aRecordEnteredWithNoUploadUnderWayDoesNotCount() {
        RecordsByHand byHand = new RecordsByHand();
        byHand.entered();
        assertThat(byHand.nanosSinceLast()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRecordEnteredDuringAnUploadCountsAndStillDoesOnceTheUploadEnds() {
        RecordsByHand byHand = new RecordsByHand();
        byHand.uploadBegan();
        byHand.uploadBegan();
        byHand.entered();
        long since = byHand.nanosSinceLast();
        assertThat(since).isBetween(0L, Duration.ofSeconds(10).toNanos());
        byHand.uploadEnded();
        byHand.entered(); // one upload still under way
        assertThat(byHand.nanosSinceLast()).isLessThan(Duration.ofSeconds(10).toNanos());

        byHand.uploadEnded();
        long before = byHand.nanosSinceLast();
        byHand.entered(); // none under way: the last counted write stays the last
        assertThat(byHand.nanosSinceLast()).isGreaterThanOrEqualTo(before);
    }
}
