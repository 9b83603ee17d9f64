package org.livingevidence.metaanalysis.conclusions;

/**
 * How far past a threshold a result must move before a shift is raised, in standard errors (z units), so that an
 * estimate hovering at p = 0.05, at the null or at the MID does not alert on every event. 0 disables it.
 */
public record Hysteresis(double zMargin) {

    public static final Hysteresis DEFAULT = new Hysteresis(0.1);
    public static final Hysteresis NONE = new Hysteresis(0);

    public Hysteresis {
        if (!(zMargin >= 0) || Double.isInfinite(zMargin)) {
            throw new IllegalArgumentException("the hysteresis margin must be finite and at least 0, was " + zMargin);
        }
    }
}
