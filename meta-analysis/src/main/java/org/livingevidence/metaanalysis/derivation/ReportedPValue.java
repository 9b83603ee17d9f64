package org.livingevidence.metaanalysis.derivation;

import org.livingevidence.metaanalysis.pooling.StandardNormal;

/**
 * A p-value as a paper reports it: exact ({@code p = 0.003}) or as a bound ({@code p < 0.001}), from a two-sided or
 * a one-sided test.
 *
 * @param field the input field the value came from, for error messages
 */
public record ReportedPValue(double value, Relation relation, Sidedness sidedness, String field) {

    public enum Relation { EQUAL, LESS_THAN }

    public enum Sidedness { TWO_SIDED, ONE_SIDED }

    public ReportedPValue {
        if (!(value > 0 && value <= 1)) {
            throw new InvalidReportedFigures(field, "a p-value must lie in (0, 1], was " + value);
        }
        if (sidedness == Sidedness.ONE_SIDED && value > 0.5) {
            throw new InvalidReportedFigures(field, "a one-sided p above 0.5 means the estimate lies against the tested direction; enter the two-sided p instead, was " + value);
        }
    }

    /** The two-sided p. A one-sided p for an estimate in the tested direction doubles. */
    public double twoSided() {
        return sidedness == Sidedness.ONE_SIDED ? 2 * value : value;
    }

    /** |z| of the test; for {@code p < bound} the bound's z, which the true |z| exceeds. */
    public double absoluteZ() {
        double two = twoSided();
        if (two >= 1) {
            throw new InvalidReportedFigures(field, "p = 1 carries no information about the standard error");
        }
        return StandardNormal.quantile(1 - two / 2);
    }

    public boolean isBound() {
        return relation == Relation.LESS_THAN;
    }

    String describe() {
        return (sidedness == Sidedness.ONE_SIDED ? "one-sided " : "") + "p " + (isBound() ? "< " : "= ") + value
                + (sidedness == Sidedness.ONE_SIDED ? " (two-sided " + twoSided() + ")" : "");
    }
}
