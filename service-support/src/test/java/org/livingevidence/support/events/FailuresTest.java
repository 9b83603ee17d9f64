package org.livingevidence.support.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoInterruptedException;
import org.junit.jupiter.api.Test;

/** Telling a stop from an outage and from a fault of the work itself. */
class FailuresTest {

    @Test
    void anInterruptionAnywhereInTheCausesIsAStopNotAnOutage() {
        MongoInterruptedException mongo = new MongoInterruptedException("interrupted while waiting for a connection", new InterruptedException());
        RuntimeException wrapped = new IllegalStateException("the end pass failed", new InterruptedException());

        assertThat(Failures.isInterruption(mongo)).isTrue();
        assertThat(Failures.isInterruption(wrapped)).isTrue();
        assertThat(Failures.isTransient(mongo)).isFalse();
    }

    @Test
    void aFaultOfTheWorkIsNeitherAStopNorAnOutage() {
        IllegalArgumentException fault = new IllegalArgumentException("a document over its size limit");

        assertThat(Failures.isInterruption(fault)).isFalse();
        assertThat(Failures.isTransient(fault)).isFalse();
    }

    @Test
    void aFailureOnAnInterruptedThreadIsAStop() {
        Thread.currentThread().interrupt();
        try {
            assertThat(Failures.isInterruption(new IllegalStateException("closed"))).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
