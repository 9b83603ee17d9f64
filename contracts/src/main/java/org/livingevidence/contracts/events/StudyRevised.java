package org.livingevidence.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * A study (one publication of a trial or cohort) as it stands after a revision; revision 1 is its registration.
 * Publications of the same trial name each other in {@code linkedStudyIds}, so the trial is counted once.
 * A retraction is a revision with status {@code RETRACTED} and a reason. Optional fields are null when not recorded.
 */
public record StudyRevised(
        String studyId,
        long revision,
        StudyStatus status,
        Citation citation,
        StudyDesign design,
        Enrolment enrolment,
        List<Arm> arms,
        RiskOfBias riskOfBias,
        List<String> linkedStudyIds,
        Instant revisedAt,
        String revisedBy,
        String reason) {

    public enum StudyStatus { ACTIVE, RETRACTED }

    /**
     * @param registryIds trial registrations as written, e.g. {@code UMIN000005494}, {@code NCT01234567}, {@code jRCT1031190043}
     */
    public record Citation(String title, List<String> authors, String journal, Integer year, String doi, String pmid,
                           List<String> registryIds) {
    }

    /** Enrolment period as year-month, e.g. 2011-05. */
    public record Enrolment(String start, String end) {
    }

    public record Arm(String label, int participants) {
    }

    public enum RiskOfBiasJudgement { LOW, SOME_CONCERNS, HIGH }

    /** Overall risk-of-bias judgement (RoB 2 for trials, ROBINS-I style for cohorts), with the curator's notes. */
    public record RiskOfBias(RiskOfBiasJudgement overall, String tool, String notes) {
    }
}
