package org.livingevidence.notify.questions;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.support.mongo.CreateOnce;

/**
 * What notify-service knows of each question, from {@code evidence.questions.v1}: its title for alerts and its tags
 * for subscriptions that follow tags. Only a newer revision replaces an older one, so redelivery and reordering
 * across restarts do no harm.
 */
@Singleton
public class QuestionDirectory {

    public record QuestionEntry(String questionId, long revision, String title, List<String> tags) {
    }

    /** The intervention and comparator as the question's PICO names them (null where not known yet). */
    public record Arms(String intervention, String comparator) {
    }

    private final MongoCollection<Document> questions;

    QuestionDirectory(MongoDatabase database) {
        this.questions = database.getCollection("questions");
    }

    public void record(QuestionRevised question) {
        Document document = new Document("_id", question.questionId()).append("revision", question.revision())
                .append("title", question.title()).append("tags", question.tags() == null ? List.of() : question.tags())
                .append("intervention", question.pico() == null ? null : question.pico().intervention())
                .append("comparator", question.pico() == null ? null : question.pico().comparator());
        CreateOnce.upsertUnlessNewer(() -> questions.replaceOne(
                Filters.and(Filters.eq("_id", question.questionId()), Filters.lt("revision", question.revision())),
                document, new ReplaceOptions().upsert(true)));
    }

    public Optional<QuestionEntry> find(String questionId) {
        return Optional.ofNullable(questions.find(Filters.eq("_id", questionId)).first())
                .map(d -> new QuestionEntry(d.getString("_id"), d.get("revision", Number.class).longValue(),
                        d.getString("title"), d.getList("tags", String.class, List.of())));
    }

    /** What the question compares; unknown names (a question not seen yet, stored before they were) are null. */
    public Arms arms(String questionId) {
        Document d = questions.find(Filters.eq("_id", questionId)).first();
        return d == null ? new Arms(null, null) : new Arms(d.getString("intervention"), d.getString("comparator"));
    }

    /**
     * The question as an event describes it: events from analysis-service carry the title and tags they were
     * computed with, so they need not wait for the questions topic, whose events may be consumed later. Older events
     * without them fall back to what this directory has seen (a null title and no tags when nothing yet).
     */
    public QuestionEntry describe(String questionId, String eventTitle, List<String> eventTags) {
        if (eventTitle != null) {
            return new QuestionEntry(questionId, 0, eventTitle, eventTags == null ? List.of() : eventTags);
        }
        return find(questionId).orElse(new QuestionEntry(questionId, 0, null, List.of()));
    }
}
