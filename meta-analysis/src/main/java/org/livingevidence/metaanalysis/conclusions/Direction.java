package org.livingevidence.metaanalysis.conclusions;

/** Which arm a point estimate favours. */
public enum Direction { FAVOURS_INTERVENTION, FAVOURS_COMPARATOR, NO_DIFFERENCE }
