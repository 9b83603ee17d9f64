package org.livingevidence.metaanalysis.conclusions;

/** Ways in which a conclusion can change that subscribers care about. */
public enum ShiftType {
    SIGNIFICANCE_FLIP,
    DIRECTION_CHANGE,
    /** The interval moved to the other side of (or onto) the minimal important difference. */
    MID_CROSSING,
    /** The automatic certainty rating moved up or down a level. */
    CERTAINTY_CHANGE,
    /** The trial sequential analysis reached firm evidence (a boundary or the required information). */
    SEQUENTIAL_BOUNDARY_CROSSED
}
