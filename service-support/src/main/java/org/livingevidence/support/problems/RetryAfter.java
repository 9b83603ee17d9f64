package org.livingevidence.support.problems;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a client turned away is told to wait ({@code Retry-After}, in seconds), drawn anew for each answer: the
 * clients one full pool turns away together would otherwise all come back in the same second, find it full again,
 * and be turned away together again.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** A whole number of seconds from {@code seconds} to twice that, each equally likely. */
    public static int spread(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("a wait of at least one second, not " + seconds);
        }
        return seconds + ThreadLocalRandom.current().nextInt(seconds + 1);
    }
}
