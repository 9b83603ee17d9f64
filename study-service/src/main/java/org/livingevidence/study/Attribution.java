package org.livingevidence.study;

/** Who a revision is attributed to. */
public final class Attribution {

    /** Until curator authentication exists (issue: curator registry), every revision is attributed to this. */
    public static final String UNAUTHENTICATED = "unauthenticated";

    private Attribution() {
    }
}
