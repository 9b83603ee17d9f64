package org.livingevidence.metaanalysis.pooling;

/** How the pooled estimate's confidence interval is formed. */
public enum CiMethod {
    /** Normal (z) interval on the model-based SE. */
    WALD,
    /** Hartung-Knapp-Sidik-Jonkman: the weighted residual variance scales the SE, t with k - 1 df (metafor's knha). */
    HKSJ
}
