package org.livingevidence.support.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexModel;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the indexes each query on a hot path needs, idempotently, when the repository that runs it is created (on
 * real MongoDB and on mongo-java-server, which accepts every index and uses the unique ones). If MongoDB is away at
 * that moment, the service still starts, and the indexes are created as soon as it answers.
 */
@Singleton
public class MongoIndexes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MongoIndexes.class);

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mongo-indexes");
        t.setDaemon(true);
        return t;
    });

    /** Ensures {@code indexes} on {@code collection}: now, or later if MongoDB cannot be reached now. */
    public void ensure(MongoCollection<Document> collection, List<IndexModel> indexes) {
        try {
            collection.createIndexes(indexes);
        } catch (MongoException e) {
            LOG.warn("indexes of {} not created yet ({}); trying again in 5 s", collection.getNamespace(), e.toString());
            retries.schedule(() -> ensure(collection, indexes), 5, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        retries.shutdownNow();
    }
}
