package org.livingevidence.metaanalysis.pooling;

/** A closed interval on the analysis scale. */
public record Interval(double lower, double upper) {
}
