package org.livingevidence.study.outcomes;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When someone last entered, revised or retracted a single outcome record on this instance while an upload was under
 * way on it (from its admission to its response, {@code UploadAdmission}): imports give way for a while after it (the imports' pace). As the relay's person window, a write counts
 * only while an import runs, so a person (or a script loading sample data) who writes before uploading is not held up
 * by it; and creating a question does not count: that is the importer, not someone waiting for an estimate beside it.
 */
@Singleton
public class RecordsByHand {

    private final AtomicInteger importing = new AtomicInteger();
    private volatile long lastAt;
    private volatile boolean any;

    void entered() {
        if (importing.get() > 0) {
            lastAt = System.nanoTime();
            any = true;
        }
    }

    /** An upload began on this instance (it holds an upload place until its response): writes by hand count now. */
    public void uploadBegan() {
        importing.incrementAndGet();
    }

    /** An upload that {@link #uploadBegan} gave its place back. */
    public void uploadEnded() {
        importing.decrementAndGet();
    }

    /** How long ago ({@link System#nanoTime} nanoseconds) the last such write arrived; {@link Long#MAX_VALUE} for never. */
    public long nanosSinceLast() {
        return any ? System.nanoTime() - lastAt : Long.MAX_VALUE;
    }
}
