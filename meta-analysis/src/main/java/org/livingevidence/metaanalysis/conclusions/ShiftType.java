package org.livingevidence.metaanalysis.conclusions;

/** Ways in which a conclusion can change that subscribers care about. */
public enum ShiftType { SIGNIFICANCE_FLIP, DIRECTION_CHANGE }
