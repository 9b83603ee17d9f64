package org.livingevidence.metaanalysis.pooling;

/**
 * The sums over the studies that REML and ML's iteration and the test of the pooled estimate need: sum of w^p e^q for
 * w = 1 / (v + tau²), e = y - centre, p = 1..3 and q = 0..2. One pass over the studies ({@link Studies}), or an
 * expansion around sums already taken ({@link NeighbouringFits}).
 */
interface WeightedSums {

    /** Number of sums {@link #at} fills: index 3 (p - 1) + q. */
    int COUNT = 9;

    int k();

    /** Fills {@code out[3 (p - 1) + q]} with the sum of w^p e^q. */
    void at(double tau2, double centre, double[] out);

    /** The studies themselves, for what the sums do not give (the fallback when iteration fails). */
    Studies studies();
}
