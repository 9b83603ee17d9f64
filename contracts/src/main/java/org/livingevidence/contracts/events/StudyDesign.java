package org.livingevidence.contracts.events;

/** The design of a study, as certainty ratings need it. */
public enum StudyDesign { RANDOMISED_TRIAL, PROSPECTIVE_COHORT, RETROSPECTIVE_COHORT, PROPENSITY_MATCHED_COHORT, SINGLE_ARM }
