package org.livingevidence.metaanalysis.conclusions;

/** Where the confidence interval lies relative to the minimal important difference (MID). */
public enum MidStatus {
    /** The question sets no MID. */
    NOT_SET,
    /** The whole interval lies beyond the MID on the benefit side: an important benefit. */
    IMPORTANT_BENEFIT,
    /** The interval contains the MID: an important benefit is neither shown nor excluded. */
    INCONCLUSIVE,
    /** The whole interval lies short of the MID: an important benefit is excluded. */
    NO_IMPORTANT_BENEFIT
}
