package org.livingevidence.analysis.projections;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.OutcomeRecordRevised.RecordStatus;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.StudyDesign;

/**
 * analysis-service's view of one question: its settings, the latest revision of each of its records, and what it
 * last published. Kept in one MongoDB document so each update, with the events it owes, is one atomic write.
 *
 * @param version        optimistic-concurrency counter of the document
 * @param question       null until the question's own event has arrived
 * @param lastConclusion the baseline of shift detection: the conclusion subscribers were last told of (the first
 *                       estimate's, then each shift's). With hysteresis it can differ from the latest estimate's.
 */
public record QuestionProjection(String questionId, long version, QuestionState question, List<RecordState> records,
                                 long estimateVersion, Conclusion lastConclusion, PooledEstimateComputed latestEstimate) {

    public QuestionProjection {
        records = records == null ? List.of() : List.copyOf(records);
    }

    public static QuestionProjection empty(String questionId) {
        return new QuestionProjection(questionId, 0, null, List.of(), 0, null, null);
    }

    /**
     * This projection continuing after {@code published} (a question whose estimates were published before this
     * projection held any: a rebuild): numbering continues after it, and it is the baseline of the next shift. Where
     * hysteresis kept an older baseline, the published estimate's conclusion stands in for it (the two differ only
     * inside the margin). Records and question stay.
     */
    public QuestionProjection continuingFrom(PooledEstimateComputed published) {
        return new QuestionProjection(questionId, version, question, records, published.estimateVersion(), published.conclusion(), published);
    }

    /** The settings that matter for pooling and concluding, and the title and tags the events carry along. */
    /** @param outcome the PICO's outcome (what absolute effects are risks of); null in projections stored before it was kept */
    public record QuestionState(long revision, String title, EffectMeasure effectMeasure,
                                BenefitDirection benefitDirection, AnalysisSettings settings, List<String> tags, String outcome) {

        /** A question without a named outcome. */
        public QuestionState(long revision, String title, EffectMeasure effectMeasure, BenefitDirection benefitDirection,
                             AnalysisSettings settings, List<String> tags) {
            this(revision, title, effectMeasure, benefitDirection, settings, tags, null);
        }
    }

    /**
     * The latest revision of one record, reduced to what pooling needs.
     *
     * @param counts events and totals per arm when the record reports them (the fragility index needs them); null
     *               otherwise, and in projections stored before they were kept
     * @param derivationNote how the effect was derived, where a reader of a plot should know it (an SE from a p-value,
     *               an upper bound, an approximation); null otherwise, and in projections stored before it was kept
     */
    public record RecordState(String recordId, long revision, RecordStatus status, String studyLabel,
                              Integer publicationYear, StudyDesign studyDesign, double estimate, double standardError,
                              Counts counts, String derivationNote) {

        /** A record whose derivation needs no note. */
        public RecordState(String recordId, long revision, RecordStatus status, String studyLabel, Integer publicationYear,
                           StudyDesign studyDesign, double estimate, double standardError, Counts counts) {
            this(recordId, revision, status, studyLabel, publicationYear, studyDesign, estimate, standardError, counts, null);
        }

        /** A record without events and totals. */
        public RecordState(String recordId, long revision, RecordStatus status, String studyLabel, Integer publicationYear,
                           StudyDesign studyDesign, double estimate, double standardError) {
            this(recordId, revision, status, studyLabel, publicationYear, studyDesign, estimate, standardError, null);
        }

        /** Events and totals per arm. */
        public record Counts(double eventsIntervention, double totalIntervention, double eventsComparator, double totalComparator) {
        }

        boolean active() {
            return status == RecordStatus.ACTIVE;
        }
    }

    public Optional<RecordState> record(String recordId) {
        return records.stream().filter(r -> r.recordId().equals(recordId)).findFirst();
    }

    public List<RecordState> activeRecords() {
        return records.stream().filter(RecordState::active).toList();
    }

    public QuestionProjection withQuestion(QuestionState state) {
        return new QuestionProjection(questionId, version, state, records, estimateVersion, lastConclusion, latestEstimate);
    }

    /** Replaces the record's previous revision, keeping the order in which records first arrived. */
    public QuestionProjection withRecord(RecordState state) {
        List<RecordState> updated = new ArrayList<>(records);
        updated.removeIf(r -> r.recordId().equals(state.recordId()));
        int position = indexOf(state.recordId());
        updated.add(position < 0 ? updated.size() : position, state);
        return new QuestionProjection(questionId, version, question, updated, estimateVersion, lastConclusion, latestEstimate);
    }

    /** Applies many record revisions at once (each replacing its record's previous one, in first-arrival order). */
    public QuestionProjection withRecords(Collection<RecordState> changed) {
        Map<String, RecordState> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.put(r.recordId(), r));
        changed.forEach(r -> byId.put(r.recordId(), r));
        return new QuestionProjection(questionId, version, question, new ArrayList<>(byId.values()), estimateVersion,
                lastConclusion, latestEstimate);
    }

    /** The latest estimate (null when no record is active) and the shift baseline that follows from it. */
    public QuestionProjection withEstimate(PooledEstimateComputed estimate, Conclusion baseline) {
        long nextVersion = estimate == null ? estimateVersion : estimate.estimateVersion();
        return new QuestionProjection(questionId, version, question, records, nextVersion, baseline, estimate);
    }

    private int indexOf(String recordId) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).recordId().equals(recordId)) {
                return i;
            }
        }
        return -1;
    }
}
