package org.livingevidence.support.events;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import java.io.IOException;
import org.apache.kafka.common.errors.RetriableException;

/** Tells an outage (wait it out) from a failure of the work itself (retry a few times, then set the work aside). */
public final class Failures {

    private Failures() {
    }

    /** Whether {@code failure}, or anything that caused it, is a dependency being away or a race lost. */
    public static boolean isTransient(Throwable failure) {
        return anyCause(failure, t -> t instanceof TransientFailure || t instanceof MongoSocketException || t instanceof MongoTimeoutException
                || t instanceof MongoNotPrimaryException || t instanceof MongoNodeIsRecoveringException
                || t instanceof MongoConnectionPoolClearedException || t instanceof MongoWriteConcernException
                || t instanceof RetriableException || t instanceof IOException);
    }

    /** Whether {@code failure} is the work being stopped (the thread interrupted): neither an outage nor its own fault. */
    public static boolean isInterruption(Throwable failure) {
        return anyCause(failure, t -> t instanceof InterruptedException || t instanceof MongoInterruptedException)
                || Thread.currentThread().isInterrupted();
    }

    /** Whether {@code failure} or any of its causes is {@code kind} (a cause that is its own cause ends the walk). */
    private static boolean anyCause(Throwable failure, java.util.function.Predicate<Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.test(t)) {
                return true;
            }
        }
        return false;
    }
}
