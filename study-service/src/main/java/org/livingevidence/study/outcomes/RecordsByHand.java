package org.livingevidence.study.outcomes;

import jakarta.inject.Singleton;

/**
 * When someone last entered, revised or retracted a single outcome record on this instance: imports give way for a
 * while after it (the imports' pace). A person creating a question before importing into it does not count: that is
 * the importer, not someone waiting for an estimate beside the import.
 */
@Singleton
public class RecordsByHand {

    private volatile long lastAt;
    private volatile boolean any;

    void entered() {
        lastAt = System.nanoTime();
        any = true;
    }

    /** How long ago ({@link System#nanoTime} nanoseconds) the last such write arrived; {@link Long#MAX_VALUE} for never. */
    public long nanosSinceLast() {
        return any ? System.nanoTime() - lastAt : Long.MAX_VALUE;
    }
}
