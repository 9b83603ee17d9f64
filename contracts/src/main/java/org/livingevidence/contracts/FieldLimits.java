package org.livingevidence.contracts;

/**
 * The bounds on every field a person types, as the JSON Schemas state them ({@code maxLength}, counted in Unicode
 * characters, and {@code maxItems}); the services refuse longer input with 422 before anything is stored, so every
 * accepted write is publishable. {@code FieldLimitsTest} checks that the schemas say the same.
 */
public final class FieldLimits {

    public static final int QUESTION_TITLE = 500;
    public static final int PICO_ELEMENT = 1000;
    public static final int REASON = 2000;
    public static final int TAG = 50;
    public static final int TAGS = 20;
    public static final int STUDY_LABEL = 200;
    public static final int SUBGROUP = 200;
    public static final int FOLLOW_UP = 200;
    public static final int SOURCE_PAGE = 100;
    public static final int SOURCE_TABLE = 100;
    public static final int SOURCE_QUOTE = 2000;
    public static final int CITATION_TITLE = 1000;
    public static final int AUTHOR = 200;
    public static final int AUTHORS = 100;
    public static final int JOURNAL = 300;
    public static final int DOI = 200;
    public static final int PMID = 9;
    public static final int REGISTRY_ID = 50;
    public static final int REGISTRY_IDS = 20;
    public static final int ARM_LABEL = 200;
    public static final int ARMS = 20;
    public static final int RISK_OF_BIAS_TOOL = 100;
    public static final int RISK_OF_BIAS_NOTES = 4000;
    public static final int LINKED_STUDIES = 50;
    /** Ids curators may choose (a study id) and the ids the registry makes. */
    public static final int ID = 64;
    /** A principal id ({@code key:...}, {@code jwt:<sub>@<iss>}) as revisions name their author. */
    public static final int PRINCIPAL = 300;
    /** Active outcome records of one question: bounds the estimate event and the analysis projection. */
    public static final int RECORDS_PER_QUESTION = 5000;
    /** A baseline risk's time frame, in words ("5 years"). */
    public static final int TIME_FRAME = 100;
    /** Changes one estimate may list in {@code triggers}: a longer batch of one question's events is split. */
    public static final int TRIGGERS_PER_ESTIMATE = 1000;

    private FieldLimits() {
    }
}
