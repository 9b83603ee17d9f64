package org.livingevidence.metaanalysis.pooling;

/** Estimators of the between-study variance tau², named as in metafor. */
public enum Tau2Method {
    /** DerSimonian-Laird method of moments. */
    DL,
    /** Restricted maximum likelihood (Fisher scoring). */
    REML,
    /** Maximum likelihood (Fisher scoring). */
    ML,
    /** Paule-Mandel: the generalized Q equals its expectation k - 1. */
    PM,
    /** Morris' empirical Bayes; without moderators it coincides with Paule-Mandel. */
    EB,
    /** Sidik-Jonkman, one step from the unweighted variance. */
    SJ,
    /** Hedges' unweighted method of moments. */
    HE,
    /** Hunter-Schmidt. */
    HS
}
