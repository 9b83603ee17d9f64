package org.livingevidence.study.questions;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.Attribution;
import org.livingevidence.study.Ids;
import org.livingevidence.study.revisions.IdempotencyKeys;
import org.livingevidence.study.revisions.RevisionedCollection;

/** Defines questions: the one path a new question takes, from a request or from an imported review. */
@Singleton
public class QuestionEntry {

    private final QuestionRepository repository;
    private final Clock clock;

    QuestionEntry(QuestionRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Validates and stores a new question; with an idempotency key, a retry returns the question made the first time. */
    public RevisionedCollection.Created<QuestionRevised> define(QuestionRequest request, Authentication curator, String idempotencyKey) {
        request.validate();
        String id = IdempotencyKeys.entityId("q_", idempotencyKey, curator.getName(), "questions", Ids::newQuestionId);
        return repository.revisions().create(id, revision(id, 1, request, curator), IdempotencyKeys.of(idempotencyKey, request));
    }

    QuestionRevised revision(String id, long revision, QuestionRequest request, Authentication curator) {
        return new QuestionRevised(id, revision, request.title().strip(), request.pico(), request.effectMeasure(),
                request.benefitDirection(), request.settingsOrDefaults(), request.statusOrActive(), clock.instant(),
                Attribution.of(curator), request.tagsOrNull(), request.reasonOrNull());
    }
}
