package org.livingevidence.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StagedEntriesTest {

    private final StagedEntries staged = new StagedEntries();

    @Test
    void eachLaneIsTakenOldestStagingFirstAndTakenIdsLeaveIt() {
        staged.staged("a", Outbox.Lane.BULK);
        staged.staged("b", Outbox.Lane.INTERACTIVE);
        staged.staged("c", Outbox.Lane.BULK);
        staged.staged("a", Outbox.Lane.BULK);

        assertThat(staged.take(Outbox.Lane.BULK, 1)).containsExactly("a");
        assertThat(staged.take(Outbox.Lane.BULK, 5)).containsExactly("c");
        assertThat(staged.take(Outbox.Lane.INTERACTIVE, 5)).containsExactly("b");
        assertThat(staged.size(Outbox.Lane.BULK) + staged.size(Outbox.Lane.INTERACTIVE)).isZero();
    }

    @Test
    void anInteractiveStagingMovesAnEntryAndABulkOneLeavesItWhereItWaits() {
        staged.staged("imported", Outbox.Lane.BULK);
        staged.staged("imported", Outbox.Lane.INTERACTIVE);
        staged.staged("imported", Outbox.Lane.BULK);

        assertThat(staged.take(Outbox.Lane.BULK, 5)).isEmpty();
        assertThat(staged.take(Outbox.Lane.INTERACTIVE, 5)).containsExactly("imported");
    }

    @Test
    void anEntryKeptAfterAPassGoesToTheEndOfItsLaneUnlessStagedAgainMeanwhile() {
        staged.staged("read", Outbox.Lane.BULK);
        staged.staged("next", Outbox.Lane.BULK);
        staged.take(Outbox.Lane.BULK, 1);
        staged.keep("read", true);
        assertThat(staged.take(Outbox.Lane.BULK, 5)).containsExactly("next", "read");

        staged.staged("revised", Outbox.Lane.BULK);
        staged.take(Outbox.Lane.BULK, 1);
        staged.staged("revised", Outbox.Lane.INTERACTIVE);
        staged.keep("revised", true);
        assertThat(staged.take(Outbox.Lane.BULK, 5)).isEmpty();
        assertThat(staged.take(Outbox.Lane.INTERACTIVE, 5)).containsExactly("revised");
    }

    @Test
    void idsBeyondTheLimitAreDroppedAndSaidSoOnce() {
        for (int i = 0; i < StagedEntries.LIMIT; i++) {
            staged.staged("e" + i, Outbox.Lane.BULK);
        }
        assertThat(staged.droppedSinceAsked()).isFalse();

        staged.staged("one-too-many", Outbox.Lane.BULK);
        staged.staged("e0", Outbox.Lane.BULK);
        staged.staged("interactive", Outbox.Lane.INTERACTIVE);

        assertThat(staged.size(Outbox.Lane.BULK)).isEqualTo(StagedEntries.LIMIT);
        assertThat(staged.droppedSinceAsked()).isTrue();
        assertThat(staged.droppedSinceAsked()).isFalse();
        assertThat(staged.take(Outbox.Lane.INTERACTIVE, 5)).containsExactly("interactive");
    }
}
