package org.livingevidence.support.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Each service owns one database, named by {@code evidence.mongodb.database}. */
@Factory
public class ServiceDatabase {

    @Singleton
    MongoDatabase database(MongoClient client, @Value("${evidence.mongodb.database}") String name) {
        return client.getDatabase(name);
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
