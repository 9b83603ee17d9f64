package org.livingevidence.study;

import com.mongodb.client.MongoDatabase;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.livingevidence.study.outcomes.OutcomeRecordRepository;
import org.livingevidence.study.questions.QuestionRepository;
import org.livingevidence.study.studies.StudyRepository;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxRelay;

/** Points the outbox relay at the collections whose documents carry pending events, and starts it. */
@Singleton
class OutboxStartup {

    private final Outbox outbox;
    private final OutboxRelay relay;
    private final MongoDatabase database;

    OutboxStartup(Outbox outbox, OutboxRelay relay, MongoDatabase database) {
        this.outbox = outbox;
        this.relay = relay;
        this.database = database;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        // Questions first: a relay pass then publishes a new question before the records that refer to it.
        outbox.register(database.getCollection(QuestionRepository.COLLECTION));
        outbox.register(database.getCollection(StudyRepository.COLLECTION));
        outbox.register(database.getCollection(OutcomeRecordRepository.COLLECTION));
        relay.start();
    }
}
