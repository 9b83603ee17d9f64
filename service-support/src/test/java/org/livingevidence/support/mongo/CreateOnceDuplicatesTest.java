package org.livingevidence.support.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.WriteConcernError;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.livingevidence.support.events.Failures;

/**
 * How an unordered insert's refusals are read. A write-concern error cannot be produced by the embedded server, so
 * the driver's exception is built here as real MongoDB reports it (a replica set that did not confirm in time).
 */
class CreateOnceDuplicatesTest {

    private static final int DUPLICATE_KEY = 11000;

    private static MongoBulkWriteException refused(List<BulkWriteError> errors, WriteConcernError concern) {
        return new MongoBulkWriteException(BulkWriteResult.acknowledged(0, 0, 0, 0, List.of(), List.of()), errors, concern,
                new ServerAddress(), Set.of());
    }

    private static BulkWriteError error(int code, int index) {
        return new BulkWriteError(code, "E" + code + " at " + index, new BsonDocument(), index);
    }

    @Test
    void duplicatesAreAnsweredByTheirPositions() {
        assertThat(CreateOnce.duplicatesIn(refused(List.of(error(DUPLICATE_KEY, 1), error(DUPLICATE_KEY, 3)), null)))
                .extracting(BulkWriteError::getIndex).containsExactly(1, 3);
    }

    @Test
    void anyOtherRefusalIsRethrown() {
        MongoBulkWriteException mixed = refused(List.of(error(DUPLICATE_KEY, 0), error(121, 1)), null);
        assertThatThrownBy(() -> CreateOnce.duplicatesIn(mixed)).isSameAs(mixed);
    }

    @Test
    void aWriteConcernErrorIsAnOutageEvenWhenNothingElseWasRefused() {
        MongoBulkWriteException notConfirmed = refused(List.of(),
                new WriteConcernError(64, "WriteConcernFailed", "waiting for replication timed out", new BsonDocument()));
        assertThatThrownBy(() -> CreateOnce.duplicatesIn(notConfirmed))
                .isInstanceOf(MongoWriteConcernException.class)
                .satisfies(e -> assertThat(Failures.isTransient(e)).isTrue())
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(notConfirmed));
    }
}
