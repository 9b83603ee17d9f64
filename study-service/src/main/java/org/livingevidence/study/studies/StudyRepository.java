package org.livingevidence.study.studies;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.HashMap;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.events.StudyRevised;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.outbox.Outbox;

/** Studies with every revision; events keyed by study id. */
@Singleton
public class StudyRepository {

    public static final String COLLECTION = "studies";

    /** A bound on a trial's publications, so that a cycle or a runaway chain of links cannot loop for long. */
    static final int MAX_TRIAL_PUBLICATIONS = 500;

    private final MongoCollection<Document> documents;
    private final RevisionedCollection<StudyRevised> studies;

    StudyRepository(MongoDatabase database, Outbox outbox, MongoIndexes indexes) {
        this.documents = database.getCollection(COLLECTION);
        this.studies = new RevisionedCollection<>(database, indexes, COLLECTION, StudyRevised.class, outbox, "study",
                StudyRevised::studyId, StudyRevised::studyId, StudyRevised::revision, StudyRevised::revisedAt);
        indexes.ensure(documents, List.of(
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("status", RevisionedCollection.CREATED_AT_MILLIS)),
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("linkedStudyIds")),
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("citation.registryIds"))));
    }

    RevisionedCollection<StudyRevised> revisions() {
        return studies;
    }

    /** The studies with these ids that exist, by id, in one read. */
    public Map<String, StudyRevised> findAll(Collection<String> studyIds) {
        Map<String, StudyRevised> found = new HashMap<>();
        if (!studyIds.isEmpty()) {
            documents.find(Filters.in("_id", List.copyOf(studyIds)))
                    .forEach(d -> found.put(d.getString("_id"), PayloadDocuments.fromDocument(d, StudyRevised.class)));
        }
        return found;
    }

    public Optional<StudyRevised> find(String studyId) {
        return studies.find(studyId);
    }

    /**
     * The publications of the trial {@code studyId} belongs to: every study reachable through links in either
     * direction (a follow-up paper links to the primary report, a secondary analysis to the follow-up, ...).
     *
     * @param study the registered study {@code studyId} names, as the caller already read it (empty if unregistered)
     */
    public Set<String> sameTrial(String studyId, Optional<StudyRevised> study) {
        Set<String> trial = new LinkedHashSet<>();
        trial.add(studyId);
        Set<String> frontier = new LinkedHashSet<>(trial);
        study.map(StudyRevised::linkedStudyIds).ifPresent(links -> links.forEach(id -> {
            if (trial.add(id)) {
                frontier.add(id);
            }
        }));
        // Breadth first, one query per step: the studies linking to the frontier, and those the frontier links to.
        while (!frontier.isEmpty() && trial.size() < MAX_TRIAL_PUBLICATIONS) {
            Set<String> next = new LinkedHashSet<>();
            documents.find(Filters.or(Filters.in("linkedStudyIds", frontier), Filters.in("_id", frontier))).forEach(d -> {
                if (trial.add(d.getString("_id"))) {
                    next.add(d.getString("_id"));
                }
                for (String linked : d.getList("linkedStudyIds", String.class, List.of())) {
                    if (trial.add(linked)) {
                        next.add(linked);
                    }
                }
            });
            frontier.clear();
            frontier.addAll(next);
        }
        return trial;
    }

    /** Every retracted study, for the sweep that retracts their records. */
    public List<StudyRevised> retracted() {
        return documents.find(Filters.eq("status", StudyRevised.StudyStatus.RETRACTED.name()))
                .map(d -> org.livingevidence.support.mongo.PayloadDocuments.fromDocument(d, StudyRevised.class))
                .into(new ArrayList<>());
    }

    /** The ids among {@code ids} that are not registered. */
    List<String> unknown(List<String> ids) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            if (find(id).isEmpty()) {
                missing.add(id);
            }
        }
        return missing;
    }

    static Bson filter(StudyRevised.StudyStatus status, String design, Integer year, String registryId) {
        List<Bson> parts = new ArrayList<>();
        parts.add(Filters.exists("_id"));
        if (status != null) {
            parts.add(Filters.eq("status", status.name()));
        }
        if (design != null) {
            parts.add(Filters.eq("design", design));
        }
        if (year != null) {
            parts.add(Filters.eq("citation.year", year));
        }
        if (registryId != null) {
            parts.add(Filters.in("citation.registryIds", registryId));
        }
        return Filters.and(parts);
    }
}
