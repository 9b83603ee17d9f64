package org.livingevidence.study.revisions;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.support.digest.Sha256;
import org.livingevidence.support.problems.InputProblem;

/**
 * Idempotency-Key on creates. The new entity's id is derived from (who, where, key), so a retried request maps to
 * the same document id and the database's unique _id makes the second insert fail: the create and the key are
 * stored in one write, with no separate key table to get out of step. The request's fingerprint tells a retry
 * (same body) from a misuse of the key (different body).
 */
public final class IdempotencyKeys {

    private static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /** @return the new entity's id: random without a key, derived from the key with one */
    public static String entityId(String prefix, String key, String principal, String scope, Supplier<String> random) {
        if (key == null) {
            return random.get();
        }
        if (key.isBlank() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw InputProblem.invalid("Idempotency-Key", "must be 1 to " + MAX_LENGTH + " visible ASCII characters, e.g. a UUID");
        }
        return prefix + Sha256.hex(principal + "\n" + scope + "\n" + key).substring(0, 16);
    }

    /** What to store with a create sent with {@code key}; null without a key. */
    public static RevisionedCollection.Idempotency of(String key, Object request) {
        return key == null ? null : new RevisionedCollection.Idempotency(key, fingerprint(request));
    }

    /** A digest of the request as parsed, so formatting differences do not count as a different request. */
    public static String fingerprint(Object request) {
        try {
            return Sha256.hex(EventJson.mapper().writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

}
