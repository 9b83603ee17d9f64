package org.livingevidence.metaanalysis.pooling;

/**
 * One study's effect on the analysis scale.
 *
 * @param variance sampling variance, strictly positive
 */
public record StudyEffect(String id, double estimate, double variance) {

    public StudyEffect {
        if (!Double.isFinite(estimate)) {
            throw new IllegalArgumentException("study " + id + ": estimate must be finite, was " + estimate);
        }
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException("study " + id + ": variance must be finite and greater than 0, was " + variance);
        }
    }
}
