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
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransientFailure || t instanceof MongoSocketException || t instanceof MongoTimeoutException
                    || t instanceof MongoNotPrimaryException || t instanceof MongoNodeIsRecoveringException
                    || t instanceof MongoConnectionPoolClearedException || t instanceof MongoWriteConcernException
                    || t instanceof RetriableException || t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Whether {@code failure} is the work being stopped (the thread interrupted): neither an outage nor its own fault. */
    public static boolean isInterruption(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof MongoInterruptedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }
}
